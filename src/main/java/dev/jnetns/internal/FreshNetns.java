package dev.jnetns.internal;

import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.sys.Loopback;
import dev.jnetns.internal.sys.NsFiles;

/**
 * A network namespace jnetns has just made: a descriptor of it and a rtnetlink socket opened inside it while
 * the making thread was there (or -1), so that the first rtnetlink handle on it needs no thread to enter it
 * again. Whoever holds one owns both descriptors.
 *
 * @param nsFd the namespace's descriptor
 * @param rtnlSocket a bound {@code NETLINK_ROUTE} socket of the namespace, or -1
 */
public record FreshNetns(int nsFd, int rtnlSocket) {
    /**
     * On a thread that has just moved into a new namespace: opens its descriptor, brings {@code lo} up if
     * asked, and opens the spare socket (best effort: without it, handles are opened the slow way). Closes what
     * it opened if something fails.
     *
     * @param nsFd the namespace's descriptor, already open (closed here if this fails)
     * @param loopbackUp whether to bring {@code lo} up
     */
    static FreshNetns completeHere(int nsFd, boolean loopbackUp) {
        return completeHere(nsFd, loopbackUp, fd -> {});
    }

    /** As {@link #completeHere(int, boolean)}, telling {@code opened} of the spare socket as soon as it exists. */
    static FreshNetns completeHere(int nsFd, boolean loopbackUp, java.util.function.IntConsumer opened) {
        try {
            if (loopbackUp) {
                Loopback.up();
            }
        } catch (RuntimeException e) {
            NsFiles.close(nsFd);
            throw e;
        }
        int socket;
        try {
            socket = NetlinkSocket.openFd();
            opened.accept(socket);
        } catch (RuntimeException e) {
            socket = -1;
        }
        return new FreshNetns(nsFd, socket);
    }

    /** Closes both descriptors. */
    public void close() {
        NsFiles.close(nsFd);
        if (rtnlSocket >= 0) {
            NsFiles.close(rtnlSocket);
        }
    }
}
