package dev.jnetns.junit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs fixture classes through the JUnit Platform as a user's build would, and reads the kernel's view of this
 * process independently of jnetns: {@code /proc/thread-self/ns/net}, {@code /proc/self/task/N/ns/net},
 * {@code /proc/self/fd}.
 */
final class Kit {
    private Kit() {}

    static EngineExecutionResults run(Class<?> fixture, String... config) {
        return builder(config).selectors(selectClass(fixture)).execute();
    }

    /** As {@link #run} with JUnit's parallel execution forced on (4 threads, everything concurrent). */
    static EngineExecutionResults runParallel(Class<?> fixture, String... config) {
        EngineTestKit.Builder builder = builder(config)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        return builder.selectors(selectClass(fixture)).execute();
    }

    private static EngineTestKit.Builder builder(String... config) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
        for (String each : config) {
            int eq = each.indexOf('=');
            builder.configurationParameter(each.substring(0, eq), each.substring(eq + 1));
        }
        return builder;
    }

    /** The inode of the calling thread's network namespace, read from /proc. */
    static long threadNs() {
        return inode(Path.of("/proc/thread-self/ns/net"));
    }

    static long inode(Path nsLink) {
        try {
            String target = Files.readSymbolicLink(nsLink).toString(); // net:[4026531840]
            return Long.parseLong(target.substring(5, target.length() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names (from the kernel's comm) of this process's threads that are in namespace {@code ino}. */
    static List<String> threadsIn(long ino) {
        // A closed namespace's inode number goes to the next one made: look while jnetns' preparing thread is
        // not inside a namespace it is making, or it could be taken for a thread left in the closed one.
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> scanThreadsIn(ino));
    }

    private static List<String> scanThreadsIn(long ino) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (inode(task.resolve("ns/net")) == ino) {
                        found.add(Files.readString(task.resolve("comm")).trim());
                    }
                } catch (UncheckedIOException | IOException e) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Open descriptors of this process, namespace descriptors included, except those jnetns' supply of prepared
     * namespaces holds right now (a namespace waiting in its queue or being made, and its spare socket: see
     * README): those come and go on their own. A descriptor the supply has handed out counts like any other.
     * Counted while the supply is not making a namespace (it opens a descriptor a moment before it says it is
     * its own); it closes those of an idle queue a moment after it stopped saying so: compare with
     * {@link #eventually}.
     */
    static int fdCount() {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(Kit::scanFdCount);
    }

    private static int scanFdCount() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                if (Files.isSymbolicLink(fd) && !heldBySupply(fd)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n - 1; // the listing's own
    }

    /**
     * Descriptors of this process that point at namespace {@code ino}, except those jnetns' supply of prepared
     * namespaces holds right now: the kernel gives a closed namespace's inode number to the next namespace made,
     * which may be one the supply has just prepared. Counted as {@link #fdCount()} is.
     */
    static int fdsOn(long ino) {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> scanFdsOn(ino));
    }

    private static int scanFdsOn(long ino) {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    // asked after reading the link: a descriptor handed out meanwhile counts as the taker's
                    if (Files.readSymbolicLink(fd).toString().equals("net:[" + ino + "]") && !heldBySupply(fd)) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static boolean heldBySupply(Path fd) {
        return dev.jnetns.internal.PreparedNamespaces.shared()
                .holdsReady(Integer.parseInt(fd.getFileName().toString()));
    }

    /** What each descriptor of this process points at, for messages. */
    static List<String> fdList() {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    found.add(fd.getFileName() + "->" + target + (heldBySupply(fd) ? " (prepared, not counted)" : ""));
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    static int threadCount() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits, up to a bound, for a condition that asynchronous teardown makes true; returns it at the end. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Output of a command run by the calling thread (so in its namespace). */
    static String exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <K, V> V get(Map<K, V> map, K key) {
        V value = map.get(key);
        if (value == null) {
            throw new AssertionError("fixture did not record " + key + "; recorded: " + map.keySet());
        }
        return value;
    }
}
