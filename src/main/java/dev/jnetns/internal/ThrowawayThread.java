package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;
import java.util.function.IntSupplier;

/**
 * Work done on a platform thread of its own, which the caller waits for to the end (an interrupt does not cut the
 * wait short: what the thread made must not be lost). For work that moves a thread for good, such as unsharing a
 * namespace where threads can never come back.
 */
final class ThrowawayThread {
    private ThrowawayThread() {}

    /**
     * Runs {@code work} on a new thread named {@code name}, started from the caller (so in the caller's namespace),
     * and returns what it returned; what it threw is thrown here. A failed {@code unshare} and the like arrive as
     * {@link LastErrorException}s naming nothing: {@code work} turns them into messages itself.
     */
    static int run(String name, IntSupplier work) {
        int[] result = new int[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        result[0] = work.getAsInt();
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                },
                name,
                0,
                false);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    /** Unshares a network namespace on the calling thread, which stays in it; its descriptor. */
    static int unshareHere() {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NsFiles.failure("unshare(CLONE_NEWNET)", e);
        }
        return NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
    }
}
