package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;

/**
 * The namespace jnetns' threads return to: a descriptor held open for the life of the JVM, and its inode, by
 * which a thread checks that it arrived.
 *
 * <p>A thread can return only where the JVM's user namespace owns the home namespace (as root, or under
 * {@code unshare -Urn}): {@code setns} into a namespace needs {@code CAP_SYS_ADMIN} in its owner. Under
 * {@code unshare -Ur} the host's namespace belongs to the initial user namespace, so a thread can enter a new
 * namespace but never come back: jnetns is then <em>one-way</em>, and a thread that entered one ends afterwards.
 * Before it ends it moves into the <em>exit</em> namespace, an empty one made for this: the kernel lets an ended
 * thread go a moment after {@link Thread#join()} returns, and meanwhile it would hold the namespace it was in.
 *
 * @param fd the namespace's descriptor
 * @param ino its inode
 * @param oneWay whether threads that leave it can never come back
 * @param exitFd where one-way threads go before they end; -1 if two-way
 */
public record HomeNetns(int fd, long ino, boolean oneWay, int exitFd) {
    /** A two-way home. */
    public HomeNetns(int fd, long ino) {
        this(fd, ino, false, -1);
    }

    /** System property, for tests: {@code true} makes jnetns one-way where threads could return. */
    static final String ONE_WAY_PROPERTY = "jnetns.internal.oneWay";

    /**
     * The namespace of the process's main thread ({@code /proc/self/ns/net}), or, where a sandbox denies that,
     * the calling thread's.
     */
    static HomeNetns ofProcess() {
        int fd;
        try {
            fd = NsFiles.openNetns("/proc/self/ns/net");
        } catch (RuntimeException e) {
            fd = NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
        }
        boolean oneWay = Boolean.getBoolean(ONE_WAY_PROPERTY) || !ownedHere(fd);
        return new HomeNetns(fd, NsFiles.identify(fd)[1], oneWay, oneWay ? makeExit() : -1);
    }

    /**
     * The exit namespace, made by a thread of its own, which stays there and ends; -1 if it cannot be made (without
     * the privilege nothing else can either, and the operation that needed it says so).
     */
    private static int makeExit() {
        try {
            return ThrowawayThread.run("jnetns-exit", ThrowawayThread::unshareHere);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Moves the calling thread, which can never come home, into the exit namespace; false if it cannot. */
    public boolean leaveForExit() {
        if (exitFd < 0) {
            return false;
        }
        try {
            LibC.setns(exitFd, LibC.CLONE_NEWNET);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** Whether the user namespace this thread is in owns the namespace {@code fd}. */
    static boolean ownedHere(int fd) {
        int owner;
        try {
            owner = LibC.ioctl(fd, LibC.NS_GET_USERNS, 0L);
        } catch (LastErrorException e) {
            return false; // EPERM: its owner is outside this user namespace, e.g. its parent
        }
        try {
            return NsFiles.identify(owner)[1] == NsFiles.identify("/proc/thread-self/ns/user")[1];
        } finally {
            NsFiles.close(owner);
        }
    }
}
