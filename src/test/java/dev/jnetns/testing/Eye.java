package dev.jnetns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An eye on namespaces that does not go through jnetns: {@code /proc} read with {@link Files}, and child
 * processes ({@code ip}, {@code readlink}), which inherit the namespace of the thread that starts them.
 */
public final class Eye {
    private static final Pattern NET_LINK = Pattern.compile("net:\\[(\\d+)]");
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path FDS = Path.of("/proc/self/fd");

    private Eye() {}

    /** The calling thread's network namespace inode, from the {@code /proc/thread-self/ns/net} link. */
    public static long threadIno() {
        return inoOfLink(Path.of("/proc/thread-self/ns/net"));
    }

    /** The inode a {@code net:[INODE]} link names. */
    public static long inoOfLink(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parseNetLink(target);
    }

    public static long parseNetLink(String text) {
        Matcher m = NET_LINK.matcher(text);
        if (!m.find()) {
            throw new AssertionError("not a net:[INODE] link: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** The calling thread's kernel thread id, from the {@code /proc/thread-self} link ({@code PID/task/TID}). */
    public static long tid() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every thread of this JVM inside namespace {@code ino}, as {@code "TID comm"}; empty if none. */
    public static List<String> threadsIn(long ino) {
        return threadsIn(Set.of(ino));
    }

    /** Every thread of this JVM inside one of the namespaces {@code inos}, as {@code "TID comm (net:[INO])"}. */
    public static List<String> threadsIn(Collection<Long> inos) {
        // A closed namespace's inode number goes to the next one made: look while jnetns' preparing thread is
        // not inside a namespace it is making, or it could be taken for a thread left in the closed one.
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> scanThreadsIn(inos));
    }

    /** Every thread of this JVM outside namespace {@code ino} (but one being made by the prepared supply). */
    public static List<String> threadsOutside(long ino) {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> {
            List<String> found = new ArrayList<>();
            for (Path task : list(TASKS)) {
                try {
                    long in = parseNetLink(
                            Files.readSymbolicLink(task.resolve("ns/net")).toString());
                    if (in != ino) {
                        found.add(task.getFileName() + " " + comm(task) + " (net:[" + in + "])");
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
            return found;
        });
    }

    private static List<String> scanThreadsIn(Collection<Long> inos) {
        List<String> found = new ArrayList<>();
        for (Path task : list(TASKS)) {
            long ino;
            try {
                ino = parseNetLink(
                        Files.readSymbolicLink(task.resolve("ns/net")).toString());
            } catch (NoSuchFileException gone) {
                continue; // the thread ended while we looked
            } catch (java.nio.file.AccessDeniedException exiting) {
                continue; // the thread is exiting: its namespaces are already released (EACCES)
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (inos.contains(ino)) {
                found.add(task.getFileName() + " " + comm(task) + " (net:[" + ino + "])");
            }
        }
        return found;
    }

    /**
     * {@link #threadsIn(long)} without the JDK's {@code process reaper} threads. The JDK starts one (a cached
     * pool thread that idles for 60 s) from whichever thread starts a child process when no idle one is ready,
     * so a test that starts a process from inside a namespace may leave one inside for a while: that is the
     * JDK's doing, not jnetns'. Use this only where the test itself started processes inside.
     */
    public static List<String> threadsInIgnoringProcessReapers(long ino) {
        return threadsIn(ino).stream()
                .filter(t -> !t.contains(" process reaper "))
                .collect(Collectors.toList());
    }

    /**
     * {@link #threadsIn(Collection)} after waiting (bounded) for it to be empty: for threads the test joined,
     * since an OS thread leaves {@code /proc/self/task} a little after {@link Thread#join()} returns.
     */
    public static List<String> threadsInAfterJoin(Collection<Long> inos) {
        await(() -> threadsIn(inos).isEmpty(), 10);
        return threadsIn(inos);
    }

    /** The kernel names ({@code comm}, 15 bytes at most) of this JVM's threads inside namespace {@code ino}. */
    public static List<String> threadNamesIn(long ino) {
        return threadsIn(ino).stream()
                .map(t -> t.substring(t.indexOf(' ') + 1, t.lastIndexOf(" (net:[")))
                .collect(Collectors.toList());
    }

    /**
     * Open descriptors of this process, namespace descriptors included, except those the library's supply of
     * prepared namespaces holds right now (a namespace waiting in its queue or being made, and its spare
     * socket): those come and go on their own. A descriptor the supply has handed out counts like any other.
     * Counted while the supply is not making a namespace; it closes those of an idle queue a moment after it
     * stopped saying so: compare with {@link #eventually}.
     */
    public static int fdCountBesidesSupply() {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> {
            int n = 0;
            for (Path fd : list(FDS)) {
                if (Files.isSymbolicLink(fd) && !heldBySupply(fd)) {
                    n++;
                }
            }
            return n;
        });
    }

    /** What each descriptor of this process points at, marking the supply's, for messages. */
    public static List<String> fdList() {
        List<String> found = new ArrayList<>();
        for (Path fd : list(FDS)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                found.add(fd.getFileName() + "->" + target + (heldBySupply(fd) ? " (prepared, not counted)" : ""));
            } catch (IOException e) {
                // closed while we looked
            }
        }
        return found;
    }

    /** Waits, up to 20 s, for a condition that asynchronous teardown makes true; returns it at the end. */
    public static boolean eventually(BooleanSupplier condition) {
        return await(condition, 20) || condition.getAsBoolean();
    }

    /**
     * Runs {@code scan} while the library's supply of prepared namespaces is not making one (it opens a
     * descriptor a moment before it says it is its own). Every look into jnetns' internals goes through this
     * class.
     */
    public static <T> T whileSupplyIsHome(java.util.function.Supplier<T> scan) {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(scan);
    }

    /** How many threads this JVM has, from {@code /proc/self/task}. */
    public static int threadCount() {
        return list(TASKS).size();
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * What every open descriptor points to, e.g. {@code net:[4026532177]} or {@code /etc/hostname}, but for those
     * the library's supply of prepared namespaces holds right now (a namespace waiting in its queue or being made,
     * and its spare socket): those come and go on their own. A descriptor the supply has handed out is listed
     * like any other. Read while the supply is not making a namespace: it opens a descriptor a moment before it
     * says it is its own (and closes those of an idle queue a moment after: {@link #openedSince} looks again).
     */
    public static List<String> fdTargets() {
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(Eye::scanFdTargets);
    }

    private static List<String> scanFdTargets() {
        List<String> targets = new ArrayList<>();
        for (Path fd : list(FDS)) {
            try {
                // a file deleted meanwhile (a concurrent build cleaning target/) changes its link's text
                String target = Files.readSymbolicLink(fd).toString().replaceFirst(" \\(deleted\\)$", "");
                // asked after reading the link: a descriptor handed out meanwhile counts as the taker's
                if (!heldBySupply(fd)) {
                    targets.add(target);
                }
            } catch (IOException e) {
                // closed while we looked (the listing's own descriptor, for one)
            }
        }
        return targets;
    }

    private static boolean heldBySupply(Path fd) {
        return dev.jnetns.internal.PreparedNamespaces.shared()
                .holdsReady(Integer.parseInt(fd.getFileName().toString()));
    }

    /**
     * Descriptors open now that were not open in {@code before} (a list from {@link #fdTargets()}), compared as a
     * multiset of targets. Descriptors closed meanwhile (the JVM's cleaners close some at any time) do not count.
     */
    public static List<String> openedSince(List<String> before) {
        // jnetns' background thread opens a namespace and a socket a moment before it says they are its own, and
        // closes them a moment after it stopped saying so: a leak stays, those go, so look again for a little
        // while before reporting
        List<String> added = openedSinceNow(before);
        for (int i = 0; i < 100 && !added.isEmpty(); i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            added = openedSinceNow(before);
        }
        return added;
    }

    private static List<String> openedSinceNow(List<String> before) {
        List<String> added = new ArrayList<>(fdTargets());
        for (String old : before) {
            added.remove(old);
        }
        // the descriptors the supply of prepared namespaces holds right now are left out by fdTargets; any other
        // namespace descriptor counts, whatever its number (a freed inode number goes to the next namespace made,
        // so "the supply once made net:[N]" says nothing about who holds a descriptor on net:[N] now)
        return added;
    }

    /**
     * {@code target} (what descriptor {@code fd} links to), or, for the spares of a namespace waiting in the
     * library's queue of prepared namespaces, {@code net:[INODE] spare socket} (its rtnetlink socket) or
     * {@code net:[spare] sockstat} (its socket counters): those come and go with the prepared namespaces, and
     * descriptor checks count them with namespace descriptors. A spare handed out (with its namespace, or in an
     * {@code Rtnl}) is a descriptor like any other.
     */
    public static String markPreparedSpare(String fd, String target) {
        if (!target.startsWith("net:[")) {
            try {
                if (dev.jnetns.internal.PreparedNamespaces.shared().holdsReady(Integer.parseInt(fd))) {
                    return target.startsWith("socket:[")
                            ? "net:[" + socketNetnsIno(Integer.parseInt(fd)) + "] spare socket"
                            : "net:[spare] " + target.substring(target.lastIndexOf('/') + 1);
                }
            } catch (RuntimeException e) {
                // closed meanwhile, or not a socket of ours
            }
        }
        return target;
    }

    /** The namespace a socket belongs to, asked of the kernel ({@code ioctl(SIOCGSKNS)}). */
    public static long socketNetnsIno(int socketFd) {
        int nsFd = dev.jnetns.internal.sys.LibC.ioctl(socketFd, 0x894C /* SIOCGSKNS */, 0L);
        try {
            return inoOfLink(Path.of("/proc/self/fd/" + nsFd));
        } finally {
            dev.jnetns.internal.sys.LibC.close(nsFd);
        }
    }

    /**
     * Descriptors of this process that point to namespace {@code ino}, but for one waiting in the library's queue of
     * prepared namespaces (inode numbers are reused: a fresh prepared namespace may have a closed one's number).
     */
    public static long fdsPointingTo(long ino) {
        // read while the supply is not making a namespace, as fdTargets is
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(() -> scanFdsPointingTo(ino));
    }

    private static long scanFdsPointingTo(long ino) {
        String wanted = "net:[" + ino + "]";
        long count = 0;
        for (Path fd : list(FDS)) {
            try {
                if (wanted.equals(Files.readSymbolicLink(fd).toString()) && !heldBySupply(fd)) {
                    count++;
                }
            } catch (IOException e) {
                // closed while we looked
            }
        }
        return count;
    }

    /** The {@code flags:} field of {@code /proc/self/fdinfo/FD}, octal as the kernel prints it. */
    public static int fdFlags(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring("flags:".length()).strip(), 8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no flags in /proc/self/fdinfo/" + fd);
    }

    /** Names in {@code ip netns list} (the first word of each line). */
    public static List<String> ipNetnsList() {
        Result r = run("ip", "netns", "list");
        assertThat(r.exit).as("ip netns list: %s", r.output).isZero();
        return r.output
                .lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.strip().split("\\s+")[0])
                .collect(Collectors.toList());
    }

    /** Interface names in {@code ip -j link} output. */
    public static List<String> ifnames(String ipJsonLink) {
        Matcher m = Pattern.compile("\"ifname\":\"([^\"]+)\"").matcher(ipJsonLink);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The flags of interface {@code name} in {@code ip -j link} output, e.g. {@code [LOOPBACK, UP, LOWER_UP]}. */
    public static List<String> flagsOf(String ipJsonLink, String name) {
        Matcher m = Pattern.compile("\"ifname\":\"" + Pattern.quote(name) + "\",\"flags\":\\[([^]]*)]")
                .matcher(ipJsonLink);
        if (!m.find()) {
            throw new AssertionError("no flags for " + name + " in " + ipJsonLink);
        }
        return Stream.of(m.group(1).split(","))
                .map(s -> s.replace("\"", "").strip())
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    /**
     * {@code tcpdump -nn -r file}: its output and exit code. Run as root, tcpdump drops its privileges to the user
     * {@code tcpdump}, which fails inside a user namespace ({@code unshare -Ur}); run as a mapped ordinary user of a
     * user namespace of its own, it keeps the caller's access to the file and drops nothing.
     */
    public static Result tcpdump(java.nio.file.Path file) {
        return run(
                "unshare", "--user", "--map-user=65534", "--map-group=65534", "tcpdump", "-nn", "-r", file.toString());
    }

    /** Output and exit code of a child process. */
    public static final class Result {
        public final int exit;
        public final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exit + ": " + output;
        }
    }

    /** Runs a command from the calling thread (so in its namespace), stdout and stderr together. */
    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                out = buf.toByteArray();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command), e);
        }
    }

    /** The pids of processes in namespace {@code ino}, read from {@code /proc/<pid>/ns/net} (zombies have none). */
    public static List<Long> processesIn(long ino) {
        String target = "net:[" + ino + "]";
        List<Long> pids = new ArrayList<>();
        for (Path entry : list(Path.of("/proc"))) {
            String name = entry.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit)) {
                continue;
            }
            try {
                if (target.equals(
                        Files.readSymbolicLink(entry.resolve("ns/net")).toString())) {
                    pids.add(Long.parseLong(name));
                }
            } catch (IOException e) {
                // ended meanwhile, or a zombie
            }
        }
        return pids;
    }

    /** Whether process {@code pid} runs (exists and is not a zombie), from {@code /proc/<pid>/stat}. */
    public static boolean processRuns(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The network namespace inode of a child process started from the calling thread. */
    public static long childIno() {
        Result r = run("readlink", "/proc/self/ns/net");
        assertThat(r.exit).as("readlink: %s", r.output).isZero();
        return parseNetLink(r.output);
    }

    /** Live threads of this JVM whose name starts with {@code prefix}. */
    public static List<Thread> javaThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .collect(Collectors.toList());
    }

    /** Waits up to {@code seconds} for {@code condition}; a hang guard, not a timing assertion. */
    public static boolean await(BooleanSupplier condition, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Work for {@link #onNewThread}. */
    @FunctionalInterface
    public interface ThrowingCallable<T> {
        T call() throws Throwable;
    }

    /**
     * Runs {@code work} on a new platform thread (started from the caller, so in the caller's namespace) and
     * returns its result; what it throws is rethrown here wrapped in an {@link AssertionError}, or unchanged if
     * it is an {@link Error} or {@link RuntimeException}.
     */
    public static <T> T onNewThread(String name, ThrowingCallable<T> work) throws InterruptedException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(
                () -> {
                    try {
                        result[0] = work.call();
                    } catch (Throwable e) {
                        failure[0] = e;
                    }
                },
                name);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        if (t.isAlive()) {
            throw new AssertionError(name + " did not finish");
        }
        if (failure[0] instanceof Error) {
            throw (Error) failure[0];
        }
        if (failure[0] instanceof RuntimeException) {
            throw (RuntimeException) failure[0];
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
