package dev.jnetns.assertj;

import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Soft-assertion entry points for links and namespaces, to mix into your own soft-assertions class (for example
 * {@code class MySoftly extends SoftAssertions implements NetnsSoftAssertionsProvider}); or use
 * {@link NetnsSoftAssertions}.
 */
public interface NetnsSoftAssertionsProvider extends SoftAssertionsProvider {
    /**
     * Soft assertions on a link; see {@link NetnsAssertions#assertThat(Link)}.
     *
     * @param link a snapshot of the link
     * @return the assertion, collecting its failures
     */
    default LinkAssert assertThat(Link link) {
        return proxy(LinkAssert.class, Link.class, link);
    }

    /**
     * Soft assertions on a namespace; see {@link NetnsAssertions#assertThat(NsFd)}.
     *
     * @param ns an open handle to the namespace
     * @return the assertion, collecting its failures
     */
    default NetnsAssert assertThat(NsFd ns) {
        return proxy(NetnsAssert.class, NsFd.class, ns);
    }
}
