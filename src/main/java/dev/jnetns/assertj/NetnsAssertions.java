package dev.jnetns.assertj;

import dev.jnetns.NsFd;
import dev.jnetns.link.Link;

/**
 * The AssertJ entry point for namespaces and links. AssertJ is an optional dependency of jnetns: add
 * {@code org.assertj:assertj-core} to use this package.
 *
 * <pre>{@code
 * import static dev.jnetns.assertj.NetnsAssertions.assertThat;
 *
 * assertThat(ns).hasLink("veth0").hasOnlyLinks("lo", "veth0").hasRouteTo("0.0.0.0/0");
 * assertThat(veth.local()).in(ns).isUp().hasMtu(1500).hasAddress("10.1.0.1/24").isEnslavedTo(bridge);
 * }</pre>
 *
 * <p>Every check reads the current state from the kernel (snapshots may be stale), and failure messages show
 * that state. For soft assertions use {@link NetnsSoftAssertions}, or {@code softly.proxy(LinkAssert.class,
 * Link.class, link)} and {@code softly.proxy(NetnsAssert.class, NsFd.class, ns)} with AssertJ's own.
 */
public final class NetnsAssertions {
    private NetnsAssertions() {}

    /**
     * Assertions on a link, checked against its current state in the namespace it was read from. Unless the
     * calling thread is in that namespace, say where it is with {@link LinkAssert#in(NsFd)}.
     *
     * @param link a snapshot of the link (its index and namespace say which link to check)
     * @return the assertion
     */
    public static LinkAssert assertThat(Link link) {
        return new LinkAssert(link);
    }

    /**
     * Assertions on a network namespace: its links, addresses and routes.
     *
     * @param ns an open handle to the namespace
     * @return the assertion
     */
    public static NetnsAssert assertThat(NsFd ns) {
        return new NetnsAssert(ns);
    }
}
