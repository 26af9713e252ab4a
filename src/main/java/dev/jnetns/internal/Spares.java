package dev.jnetns.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What jnetns opened inside a namespace it had just made, while the making thread was there, keyed by the
 * descriptor of the namespace's handle: whoever first needs it takes it, and no thread has to enter the namespace
 * again for it. The handle discards its entries when it closes, before its descriptor number can be reused.
 *
 * @param <T> the kind of spare
 */
public final class Spares<T> {
    /** A rtnetlink socket, which {@code Rtnl.open} on the namespace borrows (see {@link SpareRtnlSocket}). */
    public static final Spares<SpareRtnlSocket> RTNL_SOCKETS = new Spares<>(SpareRtnlSocket::close);

    /** The namespace's socket counters, which the test that runs in it takes for its leftovers check. */
    public static final Spares<NsSockets> SOCKET_VIEWS = new Spares<>(NsSockets::close);

    private final ConcurrentHashMap<Integer, T> byNsFd = new ConcurrentHashMap<>();
    private final Consumer<T> closer;

    private Spares(Consumer<T> closer) {
        this.closer = closer;
    }

    /** Records {@code spare} as belonging to the namespace open as {@code nsFd}; it owns the spare now. */
    public void put(int nsFd, T spare) {
        T previous = byNsFd.put(nsFd, spare);
        if (previous != null) { // a stale entry: its handle was closed without discard
            closer.accept(previous);
        }
    }

    /** Takes the spare of {@code nsFd}, which the caller then owns; null if it has none. */
    public T take(int nsFd) {
        return byNsFd.remove(nsFd);
    }

    /** The spare of {@code nsFd}, which stays its own; null if it has none. */
    public T get(int nsFd) {
        return byNsFd.get(nsFd);
    }

    /** Whether {@code nsFd} has a spare of this kind, not yet taken. */
    public boolean holds(int nsFd) {
        return byNsFd.containsKey(nsFd);
    }

    /** Closes every kind of spare of {@code nsFd}, if any. */
    public static void discardAll(int nsFd) {
        RTNL_SOCKETS.discard(nsFd);
        SOCKET_VIEWS.discard(nsFd);
    }

    private void discard(int nsFd) {
        T spare = take(nsFd);
        if (spare != null) {
            closer.accept(spare);
        }
    }
}
