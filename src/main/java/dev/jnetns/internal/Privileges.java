package dev.jnetns.internal;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process can create network namespaces, probed once by creating one. */
public final class Privileges {
    /** What users are told when they lack the privilege. */
    public static final String FIX = "jnetns needs CAP_SYS_ADMIN to create network namespaces: run as root, or"
            + " start the JVM in a user and network namespace of its own, e.g."
            + " `unshare -Urn sh -c 'ip link set lo up && exec mvn verify'`";

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
        try (NsFd ns = Netns.newTransient(Netns.Lo.DOWN)) {
            return null;
        } catch (NetnsException e) {
            return explain(e);
        } catch (RuntimeException | LinkageError e) {
            return "jnetns cannot work here: " + e;
        }
    }

    /** The message for a failure to create a namespace: the kernel's answer and, for EPERM, the fix. */
    public static String explain(NetnsException e) {
        if (e.errno() == Errno.EPERM) {
            return e.getMessage() + ". " + FIX + ".";
        }
        return "jnetns cannot create network namespaces here: " + e.getMessage();
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
