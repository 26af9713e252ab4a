package dev.jnetns.assertj;

import dev.jnetns.link.LinkStats;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a link's counters, read when {@link LinkAssert#stats()} was called. The counters also count what
 * the kernel sends by itself (IPv6 neighbour and router solicitations, for example), so the checks are lower
 * bounds: what a test sent must have been counted, and more may have been.
 *
 * <pre>{@code
 * assertThat(veth.local()).in(a).stats().hasTransmittedPacketsAtLeast(100).hasNoErrors().hasNoDrops();
 * }</pre>
 *
 * <p>Failure messages name the link and show all of its counters, e.g. {@code Expecting link "va" in
 * net:[4026532177] to have received at least 100 packets, but it received 3 (LinkStats[rx 3 packets 210 bytes, tx
 * 100 packets 14200 bytes])}.
 */
public class LinkStatsAssert extends AbstractAssert<LinkStatsAssert, LinkStats> {
    private final String link;

    LinkStatsAssert(LinkStats actual, String link) {
        super(actual, LinkStatsAssert.class);
        this.link = link;
    }

    /**
     * Verifies that at least {@code n} packets were received ({@code rx_packets}).
     *
     * @param n the lower bound
     * @return this assertion
     */
    public LinkStatsAssert hasReceivedPacketsAtLeast(long n) {
        isNotNull();
        if (actual.rxPackets() < n) {
            throw failure(
                    "Expecting link %s to have received at least %s packets, but it received %s (%s)",
                    link, n, actual.rxPackets(), actual);
        }
        return myself;
    }

    /**
     * Verifies that at least {@code n} packets were transmitted ({@code tx_packets}).
     *
     * @param n the lower bound
     * @return this assertion
     */
    public LinkStatsAssert hasTransmittedPacketsAtLeast(long n) {
        isNotNull();
        if (actual.txPackets() < n) {
            throw failure(
                    "Expecting link %s to have transmitted at least %s packets, but it transmitted %s (%s)",
                    link, n, actual.txPackets(), actual);
        }
        return myself;
    }

    /**
     * Verifies that at least {@code n} bytes were received ({@code rx_bytes}, Ethernet headers included).
     *
     * @param n the lower bound
     * @return this assertion
     */
    public LinkStatsAssert hasReceivedBytesAtLeast(long n) {
        isNotNull();
        if (actual.rxBytes() < n) {
            throw failure(
                    "Expecting link %s to have received at least %s bytes, but it received %s (%s)",
                    link, n, actual.rxBytes(), actual);
        }
        return myself;
    }

    /**
     * Verifies that at least {@code n} bytes were transmitted ({@code tx_bytes}, Ethernet headers included).
     *
     * @param n the lower bound
     * @return this assertion
     */
    public LinkStatsAssert hasTransmittedBytesAtLeast(long n) {
        isNotNull();
        if (actual.txBytes() < n) {
            throw failure(
                    "Expecting link %s to have transmitted at least %s bytes, but it transmitted %s (%s)",
                    link, n, actual.txBytes(), actual);
        }
        return myself;
    }

    /**
     * Verifies that no receive or transmit errors were counted.
     *
     * @return this assertion
     */
    public LinkStatsAssert hasNoErrors() {
        isNotNull();
        if (actual.rxErrors() != 0 || actual.txErrors() != 0) {
            throw failure(
                    "Expecting link %s to have no errors, but it has %s receive and %s transmit errors (%s)",
                    link, actual.rxErrors(), actual.txErrors(), actual);
        }
        return myself;
    }

    /**
     * Verifies that no packets were dropped, received or to be transmitted.
     *
     * @return this assertion
     */
    public LinkStatsAssert hasNoDrops() {
        isNotNull();
        if (actual.rxDropped() != 0 || actual.txDropped() != 0) {
            throw failure(
                    "Expecting link %s to have dropped no packets, but it dropped %s received and %s to transmit (%s)",
                    link, actual.rxDropped(), actual.txDropped(), actual);
        }
        return myself;
    }
}
