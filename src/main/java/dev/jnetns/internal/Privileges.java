package dev.jnetns.internal;

import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.SysException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process can create network namespaces, probed once by creating one. */
public final class Privileges {
    /** What users are told when they lack the privilege. */
    public static final String FIX = "jnetns needs CAP_SYS_ADMIN to create network namespaces: run as root, or"
            + " start the build in a user namespace of its own: `unshare -Ur mvn verify` (keeps the host's network),"
            + " or `unshare -Urn sh -c 'ip link set lo up && exec mvn verify'`";

    private static volatile String problem;
    private static volatile boolean probed;

    private Privileges() {}

    /** Null if namespaces can be created here; otherwise why not, with the fix. */
    public static String problem() {
        if (!probed) {
            synchronized (Privileges.class) {
                if (!probed) {
                    problem = probe();
                    probed = true;
                }
            }
        }
        return problem;
    }

    private static String probe() {
        try {
            WorkerPool pool = WorkerPool.shared();
            Worker worker = pool.acquire();
            try {
                worker.run(() -> worker.makeFreshHere(false, false)).close();
            } finally {
                pool.release(worker);
            }
            return null;
        } catch (SysException e) {
            return explain(e.errno(), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return "jnetns cannot work here: " + e;
        }
    }

    /** The message for a failure to create a namespace: the kernel's answer and, for EPERM, the fix. */
    public static String explain(int errno, String message) {
        if (errno == Errno.EPERM) {
            return message + ". " + FIX + ".";
        }
        return "jnetns cannot create network namespaces here: " + message;
    }

    /** Whether the effective capabilities of this thread include CAP_SYS_ADMIN (bit 21), from /proc. */
    public static boolean hasCapSysAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << 21)) != 0;
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }
}
