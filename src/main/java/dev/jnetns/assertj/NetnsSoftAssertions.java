package dev.jnetns.assertj;

import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Soft assertions on links and namespaces: every failure is collected, and {@link #assertAll()} reports them
 * together.
 *
 * <pre>{@code
 * NetnsSoftAssertions.assertSoftly(softly -> {
 *     softly.assertThat(veth.local()).in(ns).isUp().hasMtu(1500);
 *     softly.assertThat(ns).hasRouteTo("0.0.0.0/0");
 * });
 * }</pre>
 */
public class NetnsSoftAssertions extends AbstractSoftAssertions implements NetnsSoftAssertionsProvider {
    /** Creates an empty collector; call {@link #assertAll()} at the end. */
    public NetnsSoftAssertions() {}

    /**
     * Runs {@code softly} and then reports every collected failure at once.
     *
     * @param softly the assertions
     */
    public static void assertSoftly(Consumer<NetnsSoftAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(NetnsSoftAssertions.class, softly);
    }
}
