package dev.jnetns.internal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many threads stay in each namespace by {@code Netns.enter}/{@code enterTransient} (open, not yet closed
 * stays), by inode. Cheap to ask, so that the JUnit extension can tell whether an older thread may have been
 * moved into a test's namespace without scanning every thread of the JVM after every test.
 */
public final class Stays {
    private static final ConcurrentHashMap<Long, Integer> OPEN = new ConcurrentHashMap<>();

    private Stays() {}

    /** A thread has entered namespace {@code ino}. */
    public static void entered(long ino) {
        OPEN.merge(ino, 1, Integer::sum);
    }

    /** A thread that entered namespace {@code ino} has left it. */
    public static void left(long ino) {
        OPEN.computeIfPresent(ino, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Whether some thread stays in a namespace it entered now; when none does, no namespace need be looked up. */
    public static boolean any() {
        return !OPEN.isEmpty();
    }

    /** Whether some thread stays in one of {@code inos} now. */
    public static boolean anyIn(Collection<Long> inos) {
        if (OPEN.isEmpty()) {
            return false;
        }
        for (long ino : inos) {
            if (OPEN.containsKey(ino)) {
                return true;
            }
        }
        return false;
    }
}
