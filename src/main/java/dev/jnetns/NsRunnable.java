package dev.jnetns;

/**
 * Work without a result that may throw, run by {@link Netns#execute(NsFd, NsRunnable)}.
 *
 * @param <E> what it may throw; checked exceptions reach the caller of {@code execute} unchanged
 */
@FunctionalInterface
public interface NsRunnable<E extends Throwable> {
    /**
     * Does the work.
     *
     * @throws E whatever the work throws
     */
    void run() throws E;
}
