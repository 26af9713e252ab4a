package dev.jnetns.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Capabilities are per thread in Linux: dropping {@code CAP_SYS_ADMIN} from one thread's effective set makes
 * that thread's next {@code setns} fail with {@code EPERM}, for real, and leaves every other thread as it was.
 * Tests use it to make a jnetns worker unable to go home, without a hook in the library.
 */
public final class Capabilities {
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAP_SYS_ADMIN = 21;

    private interface Caps extends Library {
        Caps C = Native.load("c", Caps.class);

        int capget(Pointer header, Pointer data);

        int capset(Pointer header, Pointer data);
    }

    private Capabilities() {}

    /**
     * Skips the calling test where jnetns is one-way (the JVM's network namespace belongs to a parent user namespace,
     * as under {@code unshare -Ur}): a thread cannot come back home there, and {@code Netns.enter} is refused.
     */
    public static void assumeThreadsReturn() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                dev.jnetns.internal.WorkerPool.shared().home().oneWay(),
                "jnetns is one-way here (as under unshare -Ur): no thread can come back to the JVM's network"
                        + " namespace, so Netns.enter is refused and nothing is restored");
    }

    /** Clears {@code CAP_SYS_ADMIN} from the calling thread's effective capabilities. */
    public static void dropSysAdminFromThisThread() {
        Memory header = new Memory(8);
        header.setInt(0, LINUX_CAPABILITY_VERSION_3);
        header.setInt(4, 0); // this thread
        Memory data = new Memory(24); // two {effective, permitted, inheritable} sets of 32 bits
        if (Caps.C.capget(header, data) != 0) {
            throw new IllegalStateException("capget: errno " + Native.getLastError());
        }
        data.setInt(0, data.getInt(0) & ~(1 << CAP_SYS_ADMIN));
        if (Caps.C.capset(header, data) != 0) {
            throw new IllegalStateException("capset: errno " + Native.getLastError());
        }
    }
}
