package dev.jnetns.internal;

import dev.jnetns.NsFd;
import java.lang.invoke.MethodHandles;

/** Lets jnetns' own packages wrap a descriptor in an {@link NsFd} without making that public API. */
public final class NsFdAccess {
    /** What {@link NsFd} lets jnetns' own packages do. */
    public interface Bridge {
        /** Wraps {@code fd}; {@code spareRtnlSocket} is a rtnetlink socket opened inside, or -1. */
        NsFd adopt(int fd, int spareRtnlSocket);

        /** The handle's spare rtnetlink socket, now the caller's to close, or -1 if it has none (any more). */
        int takeSpareRtnlSocket(NsFd ns);

        /** A second handle on the same namespace (a duplicated descriptor, {@code O_CLOEXEC}). */
        NsFd duplicate(NsFd ns);
    }

    private static volatile Bridge bridge;

    private NsFdAccess() {}

    /** Called once by {@link NsFd}'s static initializer. */
    public static void install(Bridge value) {
        if (bridge != null) {
            throw new IllegalStateException("already installed");
        }
        bridge = value;
    }

    /** Wraps {@code fd} (checked to be a network namespace), which the handle then owns. */
    public static NsFd adopt(int fd) {
        return adopt(fd, -1);
    }

    /**
     * Wraps {@code fd} (checked to be a network namespace) and {@code spareRtnlSocket} (a rtnetlink socket
     * opened inside it, or -1), which the handle then owns.
     */
    public static NsFd adopt(int fd, int spareRtnlSocket) {
        return bridge().adopt(fd, spareRtnlSocket);
    }

    /** Wraps a fresh namespace with its spare socket. */
    public static NsFd adopt(FreshNetns fresh) {
        return adopt(fresh.nsFd(), fresh.rtnlSocket());
    }

    /** Takes {@code ns}'s spare rtnetlink socket (see {@link FreshNetns}); -1 if it has none. */
    public static int takeSpareRtnlSocket(NsFd ns) {
        return bridge().takeSpareRtnlSocket(ns);
    }

    /** A second handle on {@code ns}'s namespace, to close separately; fails clearly if {@code ns} is closed. */
    public static NsFd duplicate(NsFd ns) {
        return bridge().duplicate(ns);
    }

    private static Bridge bridge() {
        if (bridge == null) {
            try {
                MethodHandles.lookup().ensureInitialized(NsFd.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return bridge;
    }
}
