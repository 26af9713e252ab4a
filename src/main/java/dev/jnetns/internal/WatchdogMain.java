package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The watchdog process (see {@link Watchdog}): it holds a handle to every namespace a running test owns, and
 * when the JVM that started it dies (its standard input ends) it ends every process still in those namespaces.
 * Holding the handles keeps their inodes from being reused, so every process found in one was started inside a
 * test's namespace: it never ends a process jnetns did not start. It says {@code ready} on standard output once
 * it can hold namespaces. Lines on standard input:
 * {@code + <fd> <ino>} (hold the JVM's descriptor {@code fd}, if it still names namespace {@code ino}; answered
 * with a line {@code held} or {@code gone}, which the JVM waits for) and
 * {@code - <ino>} (let it go); where the kernel gives namespaces ids that are never reused, {@code = <id>} (note
 * it) and {@code ~ <id>} (forget it) instead: an id needs no holding to name one namespace only.
 */
public final class WatchdogMain {
    /** How long the watchdog sleeps after reading notes of ids; a JVM's death is noticed that much later. */
    private static final long NAP_MILLIS = 100;
    /** For tests ({@link Watchdog#SLOW_PROPERTY}): how long it pauses before each namespace; read once. */
    private static final long SLOW_MILLIS = Long.getLong(Watchdog.SLOW_PROPERTY, 0);

    private WatchdogMain() {}

    public static void main(String[] args) throws IOException {
        long jvm = Long.parseLong(args[0]);
        Map<Long, HeldNamespace> held = new HashMap<>();
        // load and run now what holding a namespace takes (the native library, these classes), on its own
        // namespace: a JVM killed during its first test must not find the watchdog still loading its code
        HeldNamespace warm = HeldNamespace.open("/proc/thread-self/ns/net", NsFiles.currentIno());
        if (warm != null) {
            warm.close();
        }
        NsProcesses.mark();
        NsProcesses.inNamespacesWithIds(Set.of());
        Set<Long> ids = new HashSet<>();
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.split(" ", -1);
            if (parts.length == 2 && parts[0].equals("=")) {
                pauseIfSlow();
                ids.add(Long.parseLong(parts[1]));
                napUnlessMoreToRead(in);
            } else if (parts.length == 2 && parts[0].equals("~")) {
                ids.remove(Long.parseLong(parts[1]));
                napUnlessMoreToRead(in);
            } else if (parts[0].equals("+") && parts.length == 3) {
                pauseIfSlow();
                long ino = Long.parseLong(parts[2]);
                HeldNamespace ns = HeldNamespace.open(jvm, parts[1], ino);
                if (ns != null) {
                    HeldNamespace before = held.put(ino, ns);
                    if (before != null) {
                        before.close();
                    }
                }
                // the JVM waits for this before its test runs: killed earlier, its descriptor could not be held
                System.out.println(ns != null ? "held" : "gone");
                System.out.flush();
            } else if (parts[0].equals("-") && parts.length == 2) {
                HeldNamespace ns = held.remove(Long.parseLong(parts[1]));
                if (ns != null) {
                    ns.close();
                }
            }
        }
        // the JVM is gone: end what is still running inside the namespaces of its tests
        List<ProcessHandle> left = new ArrayList<>();
        for (long ino : held.keySet()) {
            left.addAll(NsProcesses.in(ino, -1));
        }
        if (!ids.isEmpty()) {
            left.addAll(NsProcesses.inNamespacesWithIds(ids));
        }
        if (!left.isEmpty()) {
            System.err.println("jnetns watchdog: the JVM " + jvm + " ended during a test; ending " + left.size()
                    + " process(es) left in its namespaces");
            NsProcesses.terminate(left, 1000);
        }
        held.values().forEach(HeldNamespace::close);
    }

    /** For tests: the pause of a watchdog on a loaded machine, before it holds a namespace. */
    private static void pauseIfSlow() {
        if (SLOW_MILLIS > 0) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Notes of ids need no prompt reading (an id never names another namespace): after the last one waiting, the
     * watchdog sleeps a little, so that the JVM's next notes find it not waiting and wake nobody.
     */
    private static void napUnlessMoreToRead(BufferedReader in) throws IOException {
        if (!in.ready()) {
            try {
                Thread.sleep(NAP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A namespace held open through the JVM's descriptor, checked to be the one meant. */
    private record HeldNamespace(int fd) {
        /**
         * Opens the JVM's descriptor {@code fd} through {@code /proc/<jvm>/fd}, or through one of its threads'
         * {@code /proc/<jvm>/task/<tid>/fd} (the descriptor table is shared): the first is missing once the JVM's
         * first thread has ended, as it may have.
         */
        static HeldNamespace open(long jvm, String fd, long ino) {
            HeldNamespace held = open("/proc/" + jvm + "/fd/" + fd, ino);
            if (held != null) {
                return held;
            }
            List<Path> tasks;
            try (Stream<Path> list = Files.list(Path.of("/proc/" + jvm + "/task"))) {
                tasks = list.toList();
            } catch (IOException e) {
                return null; // the JVM is gone
            }
            for (Path task : tasks) {
                held = open(task + "/fd/" + fd, ino);
                if (held != null) {
                    return held;
                }
            }
            return null; // closed meanwhile: its test has ended
        }

        private static HeldNamespace open(String path, long ino) {
            int fd;
            try {
                fd = NsFiles.openNetns(path);
            } catch (RuntimeException e) {
                return null;
            }
            // the descriptor may have been reused for another namespace since the line was written
            if (NsFiles.identify(fd)[1] != ino) {
                NsFiles.close(fd);
                return null;
            }
            return new HeldNamespace(fd);
        }

        void close() {
            NsFiles.close(fd);
        }
    }
}
