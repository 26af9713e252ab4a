package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the processes a test left in its namespaces when the JVM itself is killed ({@code SIGKILL}: a CI timeout,
 * the OOM killer), which no code in the JVM can do. A small JVM of its own ({@link WatchdogMain}), started once,
 * on the first test namespace, in a session of its own; it holds a handle to each test's namespaces while the
 * test runs (or, on Linux 6.18 and later, notes its id, which is never reused), and notices the death as the end
 * of its standard input (a pipe only this JVM writes to). In the manner of Testcontainers' Ryuk. Costs one process
 * (about 40 MB resident), started once (the first test waits for it, a few hundred milliseconds), and one short
 * pipe write per namespace (on kernels without namespace ids, a round trip until it is held), which the thread
 * that prepares namespaces ahead makes in the background: a test that takes a prepared namespace does not wait
 * for it.
 */
public final class Watchdog {
    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    /** System property: {@code false} turns the watchdog off (default {@code true}). */
    public static final String WATCHDOG_PROPERTY = "jnetns.watchdog";

    private static final boolean ENABLED = !"false"
            .equalsIgnoreCase(System.getProperty(WATCHDOG_PROPERTY, "true").trim());
    /** System property, for tests: {@code true} makes the watchdog hold namespaces where ids would do. */
    static final String HOLDS_PROPERTY = "jnetns.internal.watchdogHolds";

    private static final boolean HOLDS = Boolean.getBoolean(HOLDS_PROPERTY);
    /** System property, for tests: milliseconds the watchdog waits before it holds a namespace (a slow machine). */
    static final String SLOW_PROPERTY = "jnetns.internal.watchdogSlowMillis";

    /** Guards the process and its pipe; a test never waits on it for long (see {@link #watchAhead}). */
    private static final ReentrantLock LOCK = new ReentrantLock();

    private static Process process;
    private static OutputStream pipe;
    private static BufferedReader answers;
    /** Lines that let namespaces go, sent with the next watch (taking them needs no lock). */
    private static final ConcurrentLinkedQueue<String> PENDING_RELEASES = new ConcurrentLinkedQueue<>();
    /** The descriptors of the namespaces the watchdog watches, each with the line that lets it go. */
    private static final ConcurrentHashMap<Integer, String> WATCHED = new ConcurrentHashMap<>();

    /** Those of {@link #WATCHED} that the preparing thread had watched ahead; for tests. */
    private static final Set<Integer> WATCHED_AHEAD = ConcurrentHashMap.newKeySet();

    private static volatile boolean failed;

    private Watchdog() {}

    /**
     * Has the watchdog watch the namespace open as {@code fd} (inode {@code ino}), unless it does already (the
     * preparing thread has it watch prepared namespaces ahead: {@link #watchAhead}). Where the kernel gives
     * namespaces ids that are never reused (Linux 6.18 and later), the watchdog only notes the id, and reads its
     * notes in batches; elsewhere it holds the namespace open through this JVM's descriptor, so that its inode
     * cannot name another namespace later, and this call waits until it does: a JVM killed before the watchdog
     * read the line would leave no descriptor to hold, and the test's processes running.
     */
    public static void watch(int fd, long ino) {
        if (ENABLED && !failed && !WATCHED.containsKey(fd)) {
            LOCK.lock();
            try {
                watchLocked(fd, ino);
            } finally {
                LOCK.unlock();
            }
        }
    }

    /**
     * As {@link #watch}, for a namespace made ahead of the test that will take it, so that the test does not wait
     * for it; called by the preparing thread, which runs at {@code SCHED_IDLE}. Only where the watchdog runs
     * already (its process inherits the scheduling of the thread that starts it: a test's must), and only if no
     * test holds the lock: the test then watches the namespace itself.
     */
    public static void watchAhead(int fd, long ino) {
        if (ENABLED && !failed && LOCK.tryLock()) {
            try {
                if (pipe != null) {
                    watchLocked(fd, ino);
                    if (WATCHED.containsKey(fd)) {
                        WATCHED_AHEAD.add(fd);
                    }
                }
            } finally {
                LOCK.unlock();
            }
        }
    }

    private static void watchLocked(int fd, long ino) {
        long id = HOLDS ? -1 : NsFiles.id(fd);
        StringBuilder lines = new StringBuilder();
        for (String released; (released = PENDING_RELEASES.poll()) != null; ) {
            lines.append(released).append('\n');
        }
        lines.append(id >= 0 ? "= " + id : "+ " + fd + " " + ino).append('\n');
        if (send(lines.toString(), id < 0)) {
            WATCHED.put(fd, id >= 0 ? "~ " + id : "- " + ino);
        }
    }

    /**
     * The namespace open as {@code fd} is closing: if the watchdog watches it, let it go. Told with the next
     * {@link #watch}, so that the watchdog wakes once per test, not twice; until then it holds the namespace (in
     * which nothing runs any more: the test's processes were ended). Called before the descriptor is closed, so
     * that its number, reused, is never taken for a watched one.
     */
    public static void release(int fd) {
        WATCHED_AHEAD.remove(fd);
        String line = WATCHED.remove(fd);
        if (line != null) {
            PENDING_RELEASES.add(line);
        }
    }

    /** Whether the namespace open as {@code fd} was watched ahead, before a test took it (for tests). */
    public static boolean watchedAhead(int fd) {
        return WATCHED_AHEAD.contains(fd);
    }

    /** The watchdog's pid, or -1 if it is not running (for tests). */
    public static long pid() {
        LOCK.lock();
        try {
            return process == null ? -1 : process.pid();
        } finally {
            LOCK.unlock();
        }
    }

    /** Writes {@code line}, starting the watchdog first if need be; with the lock held. */
    private static boolean send(String line, boolean awaitAnswer) {
        if (failed) {
            return false;
        }
        try {
            if (pipe == null) {
                start();
            }
            pipe.write(line.getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
            if (awaitAnswer && answers.readLine() == null) {
                throw new IOException("the watchdog ended");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            failed = true;
            LOG.log(
                    Level.WARNING,
                    "jnetns: the watchdog that ends a killed JVM's test processes is not running; processes left"
                            + " by tests are still ended when each test ends",
                    e);
            return false;
        }
    }

    private static void start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // out of the JVM's process group: a group kill must not take it too
        }
        command.addAll(List.of(
                java,
                "-Xmx16m",
                "-Xss256k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1",
                "--enable-native-access=ALL-UNNAMED",
                "-Djna.nosys=" + System.getProperty("jna.nosys", "true"),
                "-cp",
                String.join(
                        File.pathSeparator,
                        System.getProperty("java.class.path"),
                        locationOf(Watchdog.class),
                        locationOf(com.sun.jna.Native.class)),
                WatchdogMain.class.getName(),
                Long.toString(ProcessHandle.current().pid())));
        String slow = System.getProperty(SLOW_PROPERTY);
        if (slow != null) {
            command.add(command.indexOf("-cp"), "-D" + SLOW_PROPERTY + "=" + slow);
        }
        String jnaTmp = System.getProperty("jna.tmpdir");
        if (jnaTmp != null) {
            command.add(command.indexOf("-cp"), "-Djna.tmpdir=" + jnaTmp);
        }
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        // wait until it can hold namespaces: a JVM killed before would leave its first test's processes
        BufferedReader ready =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        if (!"ready".equals(ready.readLine())) {
            process.destroyForcibly();
            throw new IOException("the watchdog did not start: " + String.join(" ", command));
        }
        pipe = process.getOutputStream();
        answers = ready;
    }

    /**
     * Where a class was loaded from (the jar or classes directory): the class path lacks jnetns and JNA when they
     * were loaded by a class loader of their own (a build tool's, a framework's).
     */
    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "";
        }
    }
}
