package dev.jnetns.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which threads of this process are in a given network namespace, read from {@code /proc/self/task}. */
public final class NsThreads {
    private static final Path TASKS = Path.of("/proc/self/task");

    private NsThreads() {}

    /** A thread found in a namespace: its kernel id and its name. */
    public static final class Found {
        private final int tid;
        private final String name;

        Found(int tid, String name) {
            this.tid = tid;
            this.name = name;
        }

        public int tid() {
            return tid;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "'" + name + "' (tid " + tid + ")";
        }
    }

    /** The threads of this process in the namespace with inode {@code ino}, except the tids in {@code except}. */
    public static List<Found> in(long ino, Set<Integer> except) {
        String target = "net:[" + ino + "]";
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid = Integer.parseInt(task.getFileName().toString());
                if (except.contains(tid)) {
                    continue;
                }
                try {
                    if (target.equals(
                            Files.readSymbolicLink(task.resolve("ns/net")).toString())) {
                        found.add(new Found(
                                tid,
                                javaName(Files.readString(task.resolve("comm")).trim())));
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + TASKS, e);
        }
        return found;
    }

    /** The kernel keeps 15 bytes of a thread's name; find the Java thread whose name it is the start of. */
    private static String javaName(String comm) {
        String match = null;
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (name.equals(comm)) {
                return name;
            }
            if (name.startsWith(comm)) {
                match = match == null ? name : match.length() <= name.length() ? match : name;
            }
        }
        return match != null ? match : comm;
    }
}
