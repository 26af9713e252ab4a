package dev.jnetns;

/**
 * Work that returns a value and may throw, run by {@link Netns#execute(NsFd, NsCallable)}.
 *
 * @param <T> the result type
 * @param <E> what it may throw; checked exceptions reach the caller of {@code execute} unchanged
 */
@FunctionalInterface
public interface NsCallable<T, E extends Throwable> {
    /**
     * Does the work.
     *
     * @return the result
     * @throws E whatever the work throws
     */
    T call() throws E;
}
