package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.SysException;

/**
 * One thread's moves between network namespaces: entering one (checked by inode), unsharing a new one, and
 * going home (checked too). A thread that cannot go home is stuck: it leaves for an empty namespace of its own
 * if it can, and its owner retires it. Where threads never return ({@link HomeNetns#oneWay()}), going home
 * only marks the thread stuck, without trying: it ends instead. Every method runs on that thread; {@link Worker} does the hand-overs.
 */
final class ThreadNetns {
    private final HomeNetns home;
    private final String threadName;
    // the inode the thread is in; -1 while it is moving or left for an empty namespace
    private volatile long where;
    private volatile boolean stuck;

    ThreadNetns(HomeNetns home, String threadName) {
        this.home = home;
        this.threadName = threadName;
    }

    /**
     * On a new thread, which inherited its creator's namespace (maybe a test's): goes home, unless it is home
     * already; then no setns is tried, since that needs CAP_SYS_ADMIN even to stay put, and without it the
     * caller should hear of the operation it asked for, not of this.
     */
    void settleAtHome() {
        if (NsFiles.currentIno() == home.ino()) {
            where = home.ino();
        } else if (home.oneWay()) {
            stuck = true; // started away from home (see WorkerPool#startAtHome): it can never get there
            home.leaveForExit();
            throw new IllegalStateException(threadName + " was started outside the JVM's network namespace, which"
                    + " no thread can enter from outside here; it ends");
        } else {
            goHome();
        }
    }

    /** Whether the thread is inside namespace {@code ino}. */
    boolean isIn(long ino) {
        return where == ino;
    }

    /** Whether the thread is anywhere but home. */
    boolean isAway() {
        return where != home.ino();
    }

    /** Whether the thread could not go home: it must run nothing else. */
    boolean isStuck() {
        return stuck;
    }

    /**
     * Enters {@code nsFd} and, unless {@code expectedIno} is 0, checks that this is the namespace meant: a
     * descriptor closed and reused by another thread meanwhile would lead elsewhere.
     */
    void enter(int nsFd, long expectedIno, String label) {
        where = -1;
        try {
            LibC.setns(nsFd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            where = NsFiles.currentIno();
            throw NsFiles.failure("setns(" + label + ")", e);
        }
        where = NsFiles.currentIno();
        if (expectedIno != 0 && where != expectedIno) {
            SysException wrong = new SysException(
                    "setns(" + label + ")",
                    "descriptor " + nsFd + " led to net:[" + where + "]: was the handle closed while in use?");
            goHome(wrong);
            throw wrong;
        }
    }

    /** Unshares a new namespace, stays in it, and returns a descriptor of it; the caller identifies it. */
    int unshare() {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NsFiles.failure("unshare(CLONE_NEWNET)", e);
        }
        where = -1;
        return NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
    }

    /**
     * Makes a new namespace (with {@code lo} up if asked, and the view of its socket counters opened if asked) and
     * comes back home; the caller owns the result.
     */
    FreshNetns makeFresh(boolean loopbackUp, boolean viewSockets) {
        FreshNetns fresh = FreshNetns.completeHere(unshare(), loopbackUp, viewSockets, fd -> {}, fd -> {});
        where = fresh.ino();
        try {
            goHome(null);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        return fresh;
    }

    /**
     * Goes home and checks it by inode; if that fails, the thread is stuck and this throws, with {@code earlier}
     * (the task's own failure, if any) suppressed in the exception.
     */
    void goHome(Throwable earlier) {
        if (home.oneWay()) {
            // setns home would fail with EPERM: the thread ends instead, as its owner knows to expect, and leaves
            // its namespace for the exit one first
            stuck = true;
            if (home.leaveForExit()) {
                where = -1;
            }
            return;
        }
        try {
            goHome();
        } catch (SysException e) {
            if (earlier != null) {
                e.addSuppressed(earlier);
            }
            throw e;
        }
    }

    private void goHome() {
        long home = this.home.ino();
        try {
            // a setns that succeeds has moved the thread into the namespace of the home descriptor, which jnetns
            // opened and identified itself: no look at where the thread is needed (5 us, twice per piece of code)
            LibC.setns(this.home.fd(), LibC.CLONE_NEWNET);
            where = home;
        } catch (RuntimeException e) {
            stuck = true;
            boolean left = leaveStuckNamespace();
            SysException failure = e instanceof LastErrorException lastError
                    ? NsFiles.failure("setns(net:[" + home + "])", lastError)
                    : e instanceof SysException sys ? sys : new SysException("restore", e.toString());
            throw new SysException(
                    "restore " + threadName + " to net:[" + home + "]",
                    failure.errno(),
                    "could not return the thread to its namespace, so the thread was retired and will run nothing"
                            + " else" + (left ? "" : "; it stays where it is until it ends")
                            + " (" + failure.getMessage() + ")"
                            + (failure.errno() == Errno.EPERM
                                    ? ". The JVM's namespace belongs to a user namespace it has no CAP_SYS_ADMIN in,"
                                            + " as under `unshare -Ur`: start the JVM with `unshare -Urn` instead"
                                    : ""),
                    failure);
        }
    }

    /**
     * A retired thread still takes a while to end, and the OS thread outlives {@link Thread#join()} a little:
     * meanwhile it would keep the namespace it is stuck in alive and show up in it. Moving it into an empty
     * namespace of its own, before the caller hears of the failure, ends that at once.
     */
    private boolean leaveStuckNamespace() {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
            where = -1;
            return true;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
