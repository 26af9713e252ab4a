package dev.jnetns;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.Stays;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;

/**
 * The calling thread's stay in a namespace, from {@link Netns#enterTransient()} or {@link Netns#enter(NsFd)}.
 * {@link #close()} moves the thread back to where it was and checks it by inode; it must be called on the same
 * thread, ideally by try-with-resources:
 *
 * <pre>{@code
 * try (EnteredNetns entered = Netns.enterTransient()) {
 *     // this thread is in entered.ns() now; threads it starts inherit that namespace
 * }
 * }</pre>
 */
public final class EnteredNetns implements AutoCloseable {
    private final Thread thread;
    private final NsFd original;
    private final NsFd ns;
    private final boolean ownsNs;
    private boolean closed;

    EnteredNetns(Thread thread, NsFd original, NsFd ns, boolean ownsNs) {
        this.thread = thread;
        this.original = original;
        this.ns = ns;
        this.ownsNs = ownsNs;
    }

    /** The namespace the thread is in; for a transient one, the handle is closed by {@link #close()}. */
    public NsFd ns() {
        return ns;
    }

    /**
     * Moves the thread back to the namespace it was in before, checks it by inode, and closes the handles this
     * object holds. Idempotent.
     *
     * @throws IllegalStateException if called from another thread than the one that entered
     * @throws NetnsException if the thread cannot be moved back (it then stays where it is: stop using it)
     */
    @Override
    public void close() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("close() must be called on the thread that entered " + ns.label() + " ("
                    + thread.getName() + "), not on " + Thread.currentThread().getName());
        }
        if (closed) {
            return;
        }
        long now = NsFiles.currentIno();
        if (now != ns.ino()) {
            throw new IllegalStateException("the thread is in net:[" + now + "], not in " + ns.label()
                    + ": close nested stays first, innermost first (try-with-resources does)");
        }
        try {
            LibC.setns(original.fd(), LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new NetnsException(
                    "setns(" + original.label() + ")",
                    e.getErrorCode(),
                    "could not move " + thread.getName() + " back; it is still in " + ns.label(),
                    e);
        }
        now = NsFiles.currentIno();
        if (now != original.ino()) {
            throw new NetnsException("setns(" + original.label() + ")", "the thread is in net:[" + now + "] after it");
        }
        closed = true;
        Stays.left(ns.ino());
        original.close();
        if (ownsNs) {
            ns.close();
        }
    }

    @Override
    public String toString() {
        return thread.getName() + " in " + ns.label() + (closed ? " (left)" : "");
    }
}
