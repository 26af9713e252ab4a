package dev.jnetns.internal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Maps kernel thread ids to Java threads. The kernel keeps only 15 bytes of a name ({@code /proc/.../comm}), so
 * {@code my-pool-worker-0} and {@code my-pool-worker-1} look alike there; Java exposes no thread's tid. A name
 * that only one Java thread could have is taken as it is; otherwise the JVM's own thread dump (the
 * {@code Thread.print} diagnostic command, in process) pairs each Java thread id with its native id.
 */
final class JavaThreads {
    private static final int COMM_BYTES = 15;
    /** {@code "name" #31 [4711] daemon prio=5 ... nid=0x1267 ...} (JDK 21+), or without {@code [4711]} (JDK 17). */
    private static final Pattern DUMP_LINE =
            Pattern.compile("^\"(.*)\" #(\\d+) .*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b", Pattern.MULTILINE);

    private final Map<String, List<Thread>> byComm = new HashMap<>();
    private final Map<Long, Thread> byId = new HashMap<>();
    private Map<Integer, Long> idByTid;

    private JavaThreads() {}

    /** The Java threads alive now. */
    static JavaThreads now() {
        JavaThreads threads = new JavaThreads();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            threads.byComm
                    .computeIfAbsent(comm(t.getName()), k -> new ArrayList<>(1))
                    .add(t);
            threads.byId.put(t.getId(), t);
        }
        return threads;
    }

    /** The Java thread with kernel id {@code tid} and kernel name {@code comm}, or null if there is none. */
    Thread byTid(int tid, String comm) {
        List<Thread> alike = byComm.getOrDefault(comm, List.of());
        if (alike.size() == 1) {
            return alike.get(0);
        }
        Long id = dump().get(tid);
        return id == null ? null : byId.get(id);
    }

    /** What the kernel keeps of a thread's name: its first 15 bytes. */
    static String comm(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= COMM_BYTES) {
            return name;
        }
        return new String(bytes, 0, COMM_BYTES, StandardCharsets.UTF_8);
    }

    private Map<Integer, Long> dump() {
        if (idByTid == null) {
            idByTid = new HashMap<>();
            String text = threadPrint();
            Matcher m = DUMP_LINE.matcher(text);
            while (m.find()) {
                String nid = m.group(3);
                int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
                idByTid.put(tid, Long.parseLong(m.group(2)));
            }
        }
        return idByTid;
    }

    /** The JVM's thread dump; empty where the diagnostic command is missing (not HotSpot). */
    private static String threadPrint() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "threadPrint",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            return "";
        }
    }
}
