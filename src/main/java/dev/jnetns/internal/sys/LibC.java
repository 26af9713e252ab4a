package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Direct-mapped libc calls (JNA). Every call that can fail throws {@link LastErrorException}; callers turn it
 * into a {@link dev.jnetns.NetnsException} with {@link Errno}. Sizes assume an LP64 Linux (x86_64, aarch64).
 */
public final class LibC {
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_NONBLOCK = 0x800;
    /** Opens a path without opening the file: no device is touched and no FIFO blocks. */
    public static final int O_PATH = 0x200000;

    public static final int O_CLOEXEC = 0x80000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int LOCK_EX = 2;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_INO = 0x100;
    /** {@code _IO(0xb7, 0x3)}: which kind of namespace an nsfs file descriptor refers to. */
    public static final long NS_GET_NSTYPE = 0xb703L;

    public static final long NS_GET_USERNS = 0xb701L;
    /** {@code _IOR(0xb7, 0xd, __u64)}: a namespace's 64-bit id, never reused (Linux 6.18 and later). */
    public static final long NS_GET_ID = 0x8008b70dL;

    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;

    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_NETLINK = 270;
    public static final int AF_PACKET = 17;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_STATISTICS = 6;
    /** {@code ETH_P_ALL} in network byte order, as a socket's protocol wants it: every packet. */
    public static final int ETH_P_ALL_BE = 0x0300;

    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final long SIOCGSTAMPNS = 0x8907;
    public static final long SIOCGIFNAME = 0x8910;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {}

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int unshare(int flags) throws LastErrorException;

    public static native int open(String path, int flags, int mode) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    public static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    public static native int statx(int dirfd, String path, int flags, int mask, byte[] buf) throws LastErrorException;

    /** {@code bufsiz} is a {@code size_t}; returns the length of the link's text, which is not NUL-terminated. */
    public static native long readlink(String path, byte[] buf, long bufsiz) throws LastErrorException;

    public static native int gettid();

    /** {@code SCHED_IDLE}: run only when nothing else wants the CPU. */
    public static final int SCHED_IDLE = 5;

    /** {@code param}: a {@code struct sched_param} (one int, the priority: 0 for {@link #SCHED_IDLE}). */
    public static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    public static native int mount(String source, String target, String fstype, long flags, Pointer data)
            throws LastErrorException;

    public static native int umount2(String target, int flags) throws LastErrorException;

    public static native int unlink(String path) throws LastErrorException;

    public static native int mkdir(String path, int mode) throws LastErrorException;

    /** BSD lock: held per open file description, so threads of one process contend too; freed when it closes. */
    public static native int flock(int fd, int operation) throws LastErrorException;

    public static native String strerror(int errnum);

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    public static native int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int optname, byte[] optval, int optlen)
            throws LastErrorException;

    public static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    public static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    /** As the {@code byte[]} form, into native memory: JNA copies a Java array in and out on every call. */
    public static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrlen)
            throws LastErrorException;

    public static final int EFD_CLOEXEC = 0x80000;
    public static final short POLLIN = 1;

    public static native int eventfd(int initval, int flags) throws LastErrorException;

    /** {@code fds}: {@code struct pollfd}s, 8 bytes each (int fd, short events, short revents). */
    public static native int poll(byte[] fds, long nfds, int timeout) throws LastErrorException;

    public static native int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen)
            throws LastErrorException;

    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    public static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    public static native long write(int fd, byte[] buf, long count) throws LastErrorException;
}
