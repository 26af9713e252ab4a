package dev.jnetns;

import dev.jnetns.internal.FreshNetns;
import dev.jnetns.internal.SpareRtnlSocket;
import dev.jnetns.internal.Spares;
import dev.jnetns.internal.Watchdog;
import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.SysException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open handle to a network namespace: a file descriptor on the kernel's {@code nsfs}, opened with
 * {@code O_CLOEXEC}. Two handles are {@linkplain #equals equal} when they refer to the same namespace (the same
 * device and inode), whatever their descriptors.
 *
 * <p>Closing the last handle of a namespace that no thread or process is in and that is not mounted lets the
 * kernel tear it down. {@link #close()} is idempotent; any other use after it fails with a
 * {@link NetnsException}. A handle is safe to share between threads; closing it while another thread is using
 * it is a programming error, as with any descriptor.
 */
public final class NsFd implements AutoCloseable {
    private final AtomicInteger fd;
    private final long dev;
    private final long ino;

    private NsFd(int fd, long dev, long ino) {
        this.fd = new AtomicInteger(fd);
        this.dev = dev;
        this.ino = ino;
    }

    /** Wraps a descriptor already checked to be a network namespace; for jnetns' own use. */
    static NsFd adopt(int fd) {
        return adopt(FreshNetns.of(fd));
    }

    /**
     * Wraps a namespace jnetns has just made, with what was opened inside it while the making thread was there
     * (see {@link Spares}): a rtnetlink socket (or -1), which {@code Rtnl.open} on the handle borrows, and
     * a view of its socket counters (or null), which a test running in it takes.
     */
    static NsFd adopt(FreshNetns fresh) {
        int fd = fresh.nsFd();
        long[] id = {fresh.dev(), fresh.ino()};
        try {
            if (fresh.ino() == 0) { // known when jnetns made it: saves a statx on the test's path
                id = NsFiles.identify(fd);
            }
        } catch (RuntimeException e) {
            fresh.close(); // all was handed over: nobody else will close it (nor let the watchdog release it)
            throw NetnsException.translated(e);
        }
        if (fresh.rtnlSocket() >= 0) {
            Spares.RTNL_SOCKETS.put(fd, new SpareRtnlSocket(fresh.rtnlSocket()));
        }
        if (fresh.sockets() != null) {
            Spares.SOCKET_VIEWS.put(fd, fresh.sockets());
        }
        return new NsFd(fd, id[0], id[1]);
    }

    private static int open(String path) {
        try {
            return NsFiles.openNetns(path);
        } catch (SysException e) {
            throw NetnsException.from(e);
        }
    }

    /**
     * The network namespace of the calling thread ({@code /proc/thread-self/ns/net}). Note that
     * {@code /proc/self/ns/net} would be the process's main thread's, which may differ.
     *
     * @return a new handle; the caller closes it
     */
    public static NsFd current() {
        return adopt(open(NsFiles.THREAD_SELF_NET));
    }

    /**
     * Opens a network namespace file: a {@code /proc/PID/ns/net} link, a bind mount such as
     * {@code /run/netns/NAME}, or a {@code /proc/PID/fd/N} link to an nsfs descriptor.
     *
     * @param path the file
     * @return a new handle
     * @throws NetnsException if the file cannot be opened ({@code ENOENT}...) or is not a network namespace
     */
    public static NsFd ofPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        try {
            return adopt(NsFiles.openNetnsOnly(path));
        } catch (SysException e) {
            throw NetnsException.from(e);
        }
    }

    /**
     * Opens the named namespace {@code /run/netns/NAME}, as created by {@link Netns#newNamed(String)} or
     * {@code ip netns add}.
     *
     * @param name the namespace's name
     * @return a new handle
     * @throws NetnsException if there is no such namespace ({@code ENOENT})
     */
    public static NsFd ofName(String name) {
        return ofPath(NetnsNames.path(name));
    }

    /**
     * The network namespace of a process ({@code /proc/PID/ns/net}), that is of its main thread.
     *
     * @param pid the process id
     * @return a new handle
     */
    public static NsFd ofPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, was " + pid);
        }
        return ofPath("/proc/" + pid + "/ns/net");
    }

    /**
     * The network namespace of one thread of a process ({@code /proc/PID/task/TID/ns/net}).
     *
     * @param pid the process id
     * @param tid the thread id (as in {@code /proc/PID/task})
     * @return a new handle
     */
    public static NsFd ofThread(long pid, long tid) {
        if (pid <= 0 || tid <= 0) {
            throw new IllegalArgumentException("pid and tid must be positive, were " + pid + ", " + tid);
        }
        return ofPath("/proc/" + pid + "/task/" + tid + "/ns/net");
    }

    /**
     * The descriptor, for passing to native code or to netlink ({@code IFLA_NET_NS_FD}). Valid until
     * {@link #close()}; do not close it yourself.
     *
     * @return the descriptor
     * @throws NetnsException if the handle is closed
     */
    public int fd() {
        int value = fd.get();
        return value >= 0 ? value : closed("fd() of " + label());
    }

    /**
     * The descriptor, for {@code call} (such as {@code Netns.execute}), which a closed handle fails naming, with
     * the handle; the message is made only then, for this runs on every test.
     */
    int fdFor(String call) {
        int value = fd.get();
        return value >= 0 ? value : closed(call + "(" + label() + ")");
    }

    private int closed(String operation) {
        throw new NetnsException(operation, "the handle on " + label() + " is closed");
    }

    /** The namespace's inode number, as in {@code net:[INODE]} and {@code ls -i}; stays valid after close. */
    public long ino() {
        return ino;
    }

    /** The device of the namespace file system; with {@link #ino()} it identifies the namespace. */
    public long dev() {
        return dev;
    }

    /** Whether {@link #close()} has not been called yet. */
    public boolean isOpen() {
        return fd.get() >= 0;
    }

    /** Closes the descriptor. Idempotent: a second call does nothing. */
    @Override
    public void close() {
        int value = fd.getAndSet(-1);
        if (value >= 0) {
            Spares.discardAll(value); // before the number can be reused
            Watchdog.release(value);
            NsFiles.close(value);
        }
    }

    /**
     * A new handle on the same namespace, closed independently of this one: for code that keeps the namespace
     * beyond its caller's handle. Cheaper than {@link #ofPath} on {@code /proc/self/fd/N}: the descriptor is
     * duplicated, not opened and checked again.
     *
     * @return a new handle; the caller closes it
     * @throws NetnsException if this handle is closed, or the process is out of descriptors ({@code EMFILE})
     */
    public NsFd duplicate() {
        try {
            return new NsFd(NsFiles.duplicate(fdFor("NsFd.duplicate")), dev, ino);
        } catch (SysException e) {
            throw NetnsException.from(e);
        }
    }

    /** Same namespace: same device and inode. */
    @Override
    public boolean equals(Object other) {
        return other instanceof NsFd nsFd && nsFd.ino == ino && nsFd.dev == dev;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ino) * 31 + Long.hashCode(dev);
    }

    /** For example {@code net:[4026532177] (fd 12)}, or {@code net:[4026532177] (closed)}. */
    @Override
    public String toString() {
        int value = fd.get();
        return label() + (value >= 0 ? " (fd " + value + ")" : " (closed)");
    }

    String label() {
        return "net:[" + ino + "]";
    }
}
