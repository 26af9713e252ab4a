package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rtnetlink sockets opened inside namespaces jnetns has just made, while the making thread was there, keyed by
 * the descriptor of the namespace's handle: the first rtnetlink handle on the namespace takes its socket and
 * needs no thread to enter it. The handle discards its entry when it closes, before its descriptor number can
 * be reused.
 */
public final class SpareRtnlSockets {
    private static final ConcurrentHashMap<Integer, Integer> BY_NS_FD = new ConcurrentHashMap<>();

    private SpareRtnlSockets() {}

    /** Records {@code socket} as the spare of the namespace open as {@code nsFd}; it owns the socket now. */
    public static void put(int nsFd, int socket) {
        Integer previous = BY_NS_FD.put(nsFd, socket);
        if (previous != null) { // a stale entry: its handle was closed without discard
            NsFiles.close(previous);
        }
    }

    /** Takes the spare socket of {@code nsFd}, which the caller then owns; -1 if it has none. */
    public static int take(int nsFd) {
        Integer socket = BY_NS_FD.remove(nsFd);
        return socket == null ? -1 : socket;
    }

    /** Closes the spare socket of {@code nsFd}, if any. */
    public static void discard(int nsFd) {
        int socket = take(nsFd);
        if (socket >= 0) {
            NsFiles.close(socket);
        }
    }
}
