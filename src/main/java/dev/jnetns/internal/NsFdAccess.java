package dev.jnetns.internal;

import dev.jnetns.NsFd;
import java.lang.invoke.MethodHandles;
import java.util.function.IntFunction;

/** Lets jnetns' own packages wrap a descriptor in an {@link NsFd} without making that public API. */
public final class NsFdAccess {
    private static volatile IntFunction<NsFd> adopter;

    private NsFdAccess() {}

    /** Called once by {@link NsFd}'s static initializer. */
    public static void install(IntFunction<NsFd> function) {
        if (adopter != null) {
            throw new IllegalStateException("already installed");
        }
        adopter = function;
    }

    /** Wraps {@code fd} (checked to be a network namespace), which the handle then owns. */
    public static NsFd adopt(int fd) {
        if (adopter == null) {
            try {
                MethodHandles.lookup().ensureInitialized(NsFd.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return adopter.apply(fd);
    }
}
