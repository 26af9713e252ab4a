package dev.jnetns.internal;

import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.sys.Loopback;
import dev.jnetns.internal.sys.NsFiles;
import java.util.function.IntConsumer;

/**
 * A network namespace jnetns has just made: a descriptor of it, and what was opened inside it while the making
 * thread was there, so that no thread has to enter it again for them: a rtnetlink socket (or -1) for the first
 * rtnetlink handle on it, and a view of its socket counters (or null) for the test that runs in it. Whoever holds
 * one owns all its descriptors.
 *
 * @param nsFd the namespace's descriptor
 * @param rtnlSocket a bound {@code NETLINK_ROUTE} socket of the namespace, or -1
 * @param sockets a view of the namespace's socket counters, or null
 */
public record FreshNetns(int nsFd, int rtnlSocket, NsSockets sockets) {
    /**
     * On a thread that has just moved into a new namespace: brings {@code lo} up if asked, opens the spare socket
     * and, if asked, the view of the namespace's socket counters (both best effort: without them, a thread enters
     * the namespace again when they are needed). Closes what it opened if something fails; tells {@code opened}
     * of each further descriptor as soon as it exists.
     *
     * @param nsFd the namespace's descriptor, already open (closed here if this fails)
     * @param loopbackUp whether to bring {@code lo} up
     * @param viewSockets whether to open the view of the socket counters
     * @param opened told of each descriptor opened here
     */
    static FreshNetns completeHere(int nsFd, boolean loopbackUp, boolean viewSockets, IntConsumer opened) {
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
        return new FreshNetns(nsFd, socket, viewSockets ? NsSockets.openHereRecording(opened) : null);
    }

    /** Every descriptor it holds. */
    int[] descriptors() {
        int[] counters = sockets == null ? new int[0] : sockets.descriptors();
        int[] all = java.util.Arrays.copyOf(counters, counters.length + 2);
        all[counters.length] = nsFd;
        all[counters.length + 1] = rtnlSocket;
        return all;
    }

    /** Closes every descriptor. */
    public void close() {
        Watchdog.release(nsFd);
        NsFiles.close(nsFd);
        if (rtnlSocket >= 0) {
            NsFiles.close(rtnlSocket);
        }
        if (sockets != null) {
            sockets.close();
        }
    }
}
