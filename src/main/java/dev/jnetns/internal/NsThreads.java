package dev.jnetns.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which threads of this process are in a given network namespace, read from {@code /proc/self/task}. */
public final class NsThreads {
    private static final Path TASKS = Path.of("/proc/self/task");

    private NsThreads() {}

    /**
     * A thread found in a namespace: its kernel id and name, and the Java thread it is (null when none matches:
     * a thread the JVM did not start from Java, or one that ended meanwhile).
     *
     * @param tid the kernel's thread id
     * @param comm the kernel's name for it, cut to 15 bytes
     * @param thread the Java thread, or null
     */
    public record Found(int tid, String comm, Thread thread) {
        /** The Java name when known, else the kernel's. */
        public String name() {
            return thread != null ? thread.getName() : comm;
        }

        /** For example {@code 'my-pool-worker-1' (#31, tid 4711)}. */
        @Override
        public String toString() {
            return "'" + name() + "' (" + (thread != null ? "#" + thread.getId() + ", " : "") + "tid " + tid + ")";
        }
    }

    /** The threads of this process in the namespace with inode {@code ino}, except the tids in {@code except}. */
    public static List<Found> in(long ino, Set<Integer> except) {
        String target = "net:[" + ino + "]";
        List<Integer> tids = new ArrayList<>();
        List<String> comms = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid = Integer.parseInt(task.getFileName().toString());
                if (except.contains(tid)) {
                    continue;
                }
                try {
                    if (target.equals(
                            Files.readSymbolicLink(task.resolve("ns/net")).toString())) {
                        String comm = Files.readString(task.resolve("comm")).strip();
                        tids.add(tid);
                        comms.add(comm);
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TASKS, e);
        }
        if (tids.isEmpty()) {
            return List.of();
        }
        JavaThreads java = JavaThreads.now();
        List<Found> found = new ArrayList<>(tids.size());
        for (int i = 0; i < tids.size(); i++) {
            found.add(new Found(tids.get(i), comms.get(i), java.byTid(tids.get(i), comms.get(i))));
        }
        return found;
    }
}
