package dev.jnetns.internal;

import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.sys.Loopback;
import dev.jnetns.internal.sys.NsFiles;
import java.util.function.IntConsumer;

/**
 * A network namespace jnetns has just made: a descriptor of it, and what was opened inside it while the making
 * thread was there, so that no thread has to enter it again for them: a rtnetlink socket (or -1) for the
 * rtnetlink handles on it (see {@link SpareRtnlSocket}), and a view of its socket counters (or null) for the test
 * that runs in it. Whoever holds one owns all its descriptors.
 *
 * @param nsFd the namespace's descriptor
 * @param dev the device of its nsfs file, as {@code fstat} gives it (0 with {@code ino} if not known)
 * @param ino its inode number, known from when it was made (0 if not known)
 * @param rtnlSocket a {@code NETLINK_ROUTE} socket of the namespace, not yet configured, or -1
 * @param sockets a view of the namespace's socket counters, or null
 */
public record FreshNetns(int nsFd, long dev, long ino, int rtnlSocket, NsSockets sockets) {
    /** A namespace descriptor alone, not yet identified, with nothing opened inside it. */
    public static FreshNetns of(int nsFd) {
        return new FreshNetns(nsFd, 0, 0, -1, null);
    }

    /**
     * On a thread that has just moved into a new namespace: identifies it (the maker does, so that the thread that
     * takes it does not have to), opens the spare socket, brings {@code lo} up (through that socket) if asked, and
     * opens, if asked, the view of the namespace's socket counters (socket and view best effort: without them, a
     * thread enters the namespace again when they are needed). Closes what it opened if something fails; tells
     * {@code opened} of each further descriptor as soon as it exists, and {@code closed} of each it closes then.
     *
     * @param nsFd the namespace's descriptor, already open (closed here if this fails)
     * @param loopbackUp whether to bring {@code lo} up
     * @param viewSockets whether to open the view of the socket counters
     * @param opened told of each descriptor opened here
     * @param closed told of each descriptor {@code opened} was told of and a failure closed again
     */
    static FreshNetns completeHere(
            int nsFd, boolean loopbackUp, boolean viewSockets, IntConsumer opened, IntConsumer closed) {
        int socket = -1;
        try {
            long[] identity = NsFiles.identify(nsFd);
            socket = spareSocket(opened);
            if (loopbackUp && socket >= 0) {
                Loopback.upThrough(socket);
            } else if (loopbackUp) {
                Loopback.up();
            }
            return new FreshNetns(
                    nsFd, identity[0], identity[1], socket, viewSockets ? NsSockets.openHereRecording(opened) : null);
        } catch (RuntimeException e) {
            if (socket >= 0) {
                NsFiles.close(socket);
                closed.accept(socket);
            }
            NsFiles.close(nsFd);
            throw e;
        }
    }

    /** The spare rtnetlink socket, opened in the calling thread's namespace; -1 if it cannot be (best effort). */
    private static int spareSocket(IntConsumer opened) {
        try {
            int socket = NetlinkSocket.openUnconfiguredFd();
            opened.accept(socket);
            return socket;
        } catch (RuntimeException e) {
            return -1;
        }
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
