package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.ProcFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes in a network namespace, and ending them. The caller holds a descriptor of the namespace while it asks,
 * so its inode names it alone (the kernel reuses the inodes of dead namespaces). Only processes whose ids were
 * handed out since a mark are looked at: those are the ones a test can have started, and reading them costs
 * nothing when no process or thread was started at all.
 */
public final class NsProcesses {
    private static final Path PROC = Path.of("/proc");
    /** Kept open for the JVM's life: each test reads it twice, and one read costs a third of open, read, close. */
    private static final int LOADAVG = ProcFiles.open("/proc/loadavg");

    private static final long SELF = ProcessHandle.current().pid();

    /** How old a mark {@link #recentMark} may give is, at most. */
    private static final long RECENT_MILLIS = 50;

    /** A mark and when it was read ({@link System#nanoTime}). */
    private record Mark(long value, long at) {}

    /** The last mark read, or null. */
    private static volatile Mark last;

    private NsProcesses() {}

    /**
     * The last process or thread id the kernel handed out in this pid namespace ({@code /proc/loadavg}); -1 if
     * unreadable. Ids after it belong to tasks started later.
     */
    public static long mark() {
        String text = LOADAVG < 0 ? null : ProcFiles.readStart(LOADAVG, new byte[128]);
        if (text == null) {
            return -1;
        }
        long mark;
        try {
            mark = Long.parseLong(text.substring(text.lastIndexOf(' ') + 1).strip());
        } catch (RuntimeException e) {
            return -1;
        }
        last = new Mark(mark, System.nanoTime());
        return mark;
    }

    /**
     * A mark for something that begins now: the last one read, if it was read in the last
     * {@value #RECENT_MILLIS} ms, else a new one. An earlier mark counts the tasks started since then too, which
     * costs a look at them only if there are some; it spares a read on every test, whose previous one read it.
     * Never older than that: ids wrap around, and a mark must not be so old that they could have wrapped past it.
     */
    public static long recentMark() {
        Mark recent = last;
        if (recent != null && System.nanoTime() - recent.at() < TimeUnit.MILLISECONDS.toNanos(RECENT_MILLIS)) {
            return recent.value();
        }
        return mark();
    }

    /** Whether a task was started since {@code mark} (or whether that cannot be told). */
    public static boolean startedSince(long mark) {
        return mark < 0 || mark() != mark;
    }

    /**
     * The processes (not this JVM) in the namespace with inode {@code ino} whose ids were handed out after
     * {@code mark} (all of them for -1), as handles that cannot be confused with a later process of the same id.
     */
    public static List<ProcessHandle> in(long ino, long mark) {
        String target = "net:[" + ino + "]";
        long now = mark();
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, NsProcesses::isPid)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == SELF || !since(pid, mark, now)) {
                    continue;
                }
                Optional<ProcessHandle> handle = ProcessHandle.of(pid); // pins its start time
                try {
                    if (handle.isPresent()
                            && target.equals(Files.readSymbolicLink(entry.resolve("ns/net"))
                                    .toString())) {
                        found.add(handle.get());
                    }
                } catch (IOException e) {
                    // it ended, or it is a zombie (no namespace left): nothing holds the namespace there
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC, e);
        }
        return found;
    }

    /**
     * The processes (not this JVM) in a network namespace whose id ({@link NsFiles#id}, never reused) is one of
     * {@code ids}; for the watchdog, once the JVM that named them is gone.
     */
    public static List<ProcessHandle> inNamespacesWithIds(java.util.Set<Long> ids) {
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, NsProcesses::isPid)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                Optional<ProcessHandle> handle = pid == SELF ? Optional.empty() : ProcessHandle.of(pid);
                if (handle.isPresent() && ids.contains(netnsId(entry))) {
                    found.add(handle.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC, e);
        }
        return found;
    }

    private static long netnsId(Path process) {
        int fd = ProcFiles.open(process.resolve("ns/net").toString());
        if (fd < 0) {
            return -1; // it ended, or it is a zombie
        }
        try {
            return NsFiles.id(fd);
        } finally {
            NsFiles.close(fd);
        }
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Whether {@code pid} was handed out after {@code mark}, up to {@code now}; ids wrap around. */
    private static boolean since(long pid, long mark, long now) {
        if (mark < 0 || now < 0) {
            return true;
        }
        return mark <= now ? pid > mark && pid <= now : pid > mark || pid <= now;
    }

    /** The command line of {@code process} as it was given ({@code /proc/<pid>/cmdline}), as {@code ps} shows it. */
    public static String commandLine(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(process.pid() + "/cmdline"));
            int end = raw.length;
            while (end > 0 && raw[end - 1] == 0) {
                end--;
            }
            if (end > 0) {
                return new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // ended meanwhile
        }
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).orElse("?");
    }

    /**
     * Ends {@code processes} and their descendants: {@code SIGTERM}, then {@code SIGKILL} for those still alive
     * after {@code graceMillis}. Returns once all have ended or been sent {@code SIGKILL}.
     */
    public static void terminate(List<ProcessHandle> processes, long graceMillis) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : processes) {
            all.add(p);
            p.descendants().forEach(all::add);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (ProcessHandle p : all) {
            awaitExit(p, deadline - System.nanoTime());
            if (p.isAlive()) {
                p.destroyForcibly();
                awaitExit(p, TimeUnit.SECONDS.toNanos(1)); // SIGKILL is delivered asynchronously
            }
        }
    }

    private static void awaitExit(ProcessHandle process, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            process.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // still alive: the caller decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
