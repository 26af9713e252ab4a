package dev.jnetns.internal;

import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.sys.NsFiles;

/**
 * The rtnetlink socket jnetns opened inside a namespace it made (while the making thread was there), kept with the
 * namespace's handle until that closes, and lent to one rtnetlink handle at a time as a descriptor of its own: no
 * thread has to enter the namespace to open one. When the handle closes its descriptor, the socket lives on,
 * counted in the namespace's {@code sockstat} as jnetns' own; a netlink socket really closed is freed only after
 * an RCU grace period and until then looks like a socket the test left behind. Its options and address are set
 * when it is first lent: a namespace whose test never uses rtnetlink pays for the socket alone.
 */
public final class SpareRtnlSocket {
    private final int fd;
    private Loan lent;
    private boolean configured;
    private boolean closed;

    /** Takes over {@code fd}, a socket from {@link NetlinkSocket#openUnconfiguredFd()}. */
    public SpareRtnlSocket(int fd) {
        this.fd = fd;
    }

    /** jnetns' own descriptor of the socket (for tests: the handles' descriptors are duplicates of it). */
    public int fd() {
        return fd;
    }

    /** One handle's use of the socket, through a descriptor of its own, until {@link #giveBack()}. */
    public final class Loan {
        private final int fd;

        private Loan(int fd) {
            this.fd = fd;
        }

        /** The handle's descriptor, configured and bound; the handle closes it. */
        public int fd() {
            return fd;
        }

        /** Makes the socket free to lend again; idempotent, and without effect on a later loan. */
        public void giveBack() {
            synchronized (SpareRtnlSocket.this) {
                if (lent == this) {
                    lent = null;
                }
            }
        }
    }

    /**
     * Lends the socket, configured on its first loan, through a new descriptor; null if it is lent already or
     * closed (the caller then opens a socket of its own).
     *
     * @throws RuntimeException if configuring it or duplicating its descriptor fails ({@code EMFILE})
     */
    public synchronized Loan lend() {
        if (lent != null || closed) {
            return null;
        }
        if (!configured) {
            NetlinkSocket.configure(fd);
            configured = true;
        }
        lent = new Loan(NsFiles.duplicate(fd));
        return lent;
    }

    /** Closes jnetns' own descriptor; a handle that has it lent keeps the socket until it closes its own. */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            NsFiles.close(fd);
        }
    }
}
