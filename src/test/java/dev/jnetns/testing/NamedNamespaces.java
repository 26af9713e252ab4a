package dev.jnetns.testing;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.internal.sys.Errno;
import org.junit.jupiter.api.Assumptions;

/**
 * Named namespaces are mounts under {@code /run/netns}: they need root over the host's mounts, which a rootless
 * run ({@code unshare -Urn}) does not have. Tests of them ask the kernel once and skip with its answer.
 */
public final class NamedNamespaces {
    private static String unavailable;
    private static boolean probed;

    private NamedNamespaces() {}

    /** Skips the calling test, with the kernel's answer, when named namespaces cannot be made here. */
    public static synchronized void assumeAvailable() {
        if (!probed) {
            probed = true;
            try {
                Netns.deleteNamed(Netns.newNamed());
            } catch (NetnsException e) {
                if (e.errno() != Errno.EPERM && e.errno() != Errno.EACCES) {
                    throw e; // anything else is a failure, not a missing privilege
                }
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "named namespaces cannot be made here: " + unavailable);
    }
}
