package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Opening, identifying and closing namespace files ({@code nsfs}). */
public final class NsFiles {
    /** The calling thread's network namespace; {@code /proc/self/...} would be the main thread's. */
    public static final String THREAD_SELF_NET = "/proc/thread-self/ns/net";

    private static final int STATX_SIZE = 256;
    private static final int STX_MODE = 28;
    private static final int STX_INO = 32;
    private static final int STX_DEV_MAJOR = 136;
    private static final int STX_DEV_MINOR = 140;

    private NsFiles() {}

    /** Turns a failed libc call into an exception naming the operation and the errno. */
    public static SysException failure(String operation, LastErrorException e) {
        return SysException.of(operation, e);
    }

    /**
     * Opens {@code path} read-only and close-on-exec, and checks that it is a network namespace.
     *
     * @return the descriptor
     */
    public static int openNetns(String path) {
        return openNetns(path, path);
    }

    /** Opens {@code path} read-only and checks it is a network namespace; messages name {@code what}. */
    private static int openNetns(String path, String what) {
        int fd;
        try {
            fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("open(" + what + ")", e);
        }
        try {
            checkNetns(fd, what);
            return fd;
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    /**
     * A second descriptor of the file {@code fd} refers to, close-on-exec ({@code fcntl(F_DUPFD_CLOEXEC)}): for a
     * descriptor already known to be a namespace, which then needs no second check.
     *
     * @return the new descriptor
     */
    public static int duplicate(int fd) {
        try {
            return LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("fcntl(fd " + fd + ", F_DUPFD_CLOEXEC)", e);
        }
    }

    /**
     * As {@link #openNetns}, for a path a caller gave: anything but a namespace file is refused before it is opened
     * for reading, so that a FIFO cannot block and a device is not touched. The path is first opened with
     * {@code O_PATH}, its file checked to be on {@code nsfs}, then opened for real through {@code /proc/self/fd}.
     *
     * @return the descriptor
     */
    public static int openNetnsOnly(String path) {
        int pathFd;
        try {
            pathFd = LibC.open(path, LibC.O_PATH | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("open(" + path + ")", e);
        }
        try {
            long[] file = identify(pathFd);
            long[] nsfs = identify(THREAD_SELF_NET);
            if (file[0] != nsfs[0]) {
                throw new SysException(
                        "open(" + path + ")",
                        Errno.EINVAL,
                        "not a namespace file (" + fileKind(file[2]) + "), so it was not opened",
                        null);
            }
            return openNetns("/proc/self/fd/" + pathFd, path);
        } finally {
            close(pathFd);
        }
    }

    /** What a {@code st_mode} says the file is, for messages. */
    private static String fileKind(long mode) {
        return switch ((int) (mode & 0170000)) {
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0040000 -> "a directory";
            case 0060000 -> "a block device";
            case 0100000 -> "a regular file";
            case 0140000 -> "a socket";
            default -> "mode 0" + Long.toOctalString(mode);
        };
    }

    /** Fails unless {@code fd} refers to a network namespace; {@code what} names it in the message. */
    public static void checkNetns(int fd, String what) {
        int type;
        try {
            type = LibC.ioctl(fd, LibC.NS_GET_NSTYPE, 0L);
        } catch (LastErrorException e) {
            throw new SysException(
                    "open(" + what + ")", e.getErrorCode(), "not a namespace file (ioctl NS_GET_NSTYPE failed)", e);
        }
        if (type != LibC.CLONE_NEWNET) {
            throw new SysException(
                    "open(" + what + ")",
                    Errno.EINVAL,
                    "a " + kindName(type) + " namespace, not a network namespace",
                    null);
        }
    }

    private static String kindName(int type) {
        return switch (type) {
            case 0x00020000 -> "mnt";
            case 0x02000000 -> "cgroup";
            case 0x04000000 -> "uts";
            case 0x08000000 -> "ipc";
            case 0x10000000 -> "user";
            case 0x20000000 -> "pid";
            case 0x00000080 -> "time";
            default -> "type 0x" + Integer.toHexString(type);
        };
    }

    /** {@code [device, inode]} of an open descriptor. */
    public static long[] identify(int fd) {
        return statx(fd, "", LibC.AT_EMPTY_PATH, "statx(fd " + fd + ")");
    }

    /** {@code [device, inode]} of a path, following links such as {@code /proc/thread-self/ns/net}. */
    public static long[] identify(String path) {
        return statx(LibC.AT_FDCWD, path, 0, "statx(" + path + ")");
    }

    /**
     * The namespace's 64-bit id, which the kernel never hands out twice (unlike inode numbers); -1 where the kernel
     * has none (before Linux 6.18).
     */
    public static long id(int fd) {
        byte[] id = new byte[8];
        try {
            LibC.ioctl(fd, LibC.NS_GET_ID, id);
        } catch (LastErrorException e) {
            return -1;
        }
        return ByteBuffer.wrap(id).order(ByteOrder.nativeOrder()).getLong();
    }

    /**
     * The inode of the calling thread's network namespace, read from the text of its link ({@code net:[INODE]}): a
     * {@code stat} of the link would also have the kernel find or build the namespace's nsfs file, about twice the
     * cost, and every worker asks this twice per piece of code it runs inside a namespace.
     */
    public static long currentIno() {
        byte[] buf = new byte[32]; // net:[4026531833] is 16 bytes; an inode has at most 20 digits
        int length;
        try {
            length = (int) LibC.readlink(THREAD_SELF_NET, buf, buf.length);
        } catch (LastErrorException e) {
            throw failure("readlink(" + THREAD_SELF_NET + ")", e);
        }
        String link = new String(buf, 0, length, StandardCharsets.US_ASCII);
        if (!link.startsWith("net:[") || !link.endsWith("]")) {
            throw new SysException("readlink(" + THREAD_SELF_NET + ")", "not a namespace link: " + link);
        }
        return Long.parseLong(link, 5, link.length() - 1, 10);
    }

    private static long[] statx(int dirfd, String path, int flags, String operation) {
        byte[] buf = new byte[STATX_SIZE];
        try {
            LibC.statx(dirfd, path, flags, LibC.STATX_TYPE | LibC.STATX_INO, buf);
        } catch (LastErrorException e) {
            throw failure(operation, e);
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        long major = Integer.toUnsignedLong(b.getInt(STX_DEV_MAJOR));
        long minor = Integer.toUnsignedLong(b.getInt(STX_DEV_MINOR));
        return new long[] {(major << 32) | minor, b.getLong(STX_INO), b.getShort(STX_MODE) & 0xffff};
    }

    /** Closes a descriptor; a failure (which leaves it closed on Linux) is not reported. */
    public static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // Linux frees the descriptor even when close reports an error: nothing to retry.
        }
    }
}
