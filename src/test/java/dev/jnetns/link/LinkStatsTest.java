package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.assertj.NetnsAssertions;
import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A link's counters after real traffic: UDP datagrams across a veth between two namespaces, counted on both ends,
 * and agreeing with {@code ip -s -j link show} ({@code stats64}).
 */
@ExtendWith(NoFdLeaks.class)
class LinkStatsTest {
    private static final int DATAGRAMS = 40;
    private static final int PAYLOAD = 100;
    /** Ethernet, IPv4 and UDP headers: what a veth counts of a frame beyond the payload. */
    private static final int HEADERS = 14 + 20 + 8;

    /** Each counter of ours, with the path to it in {@code ip -s -j}'s {@code stats64}. */
    private record Counter(String rxOrTx, String name, ToLongFunction<LinkStats> ours) {}

    private static final Counter[] COUNTERS = {
        new Counter("rx", "packets", LinkStats::rxPackets),
        new Counter("tx", "packets", LinkStats::txPackets),
        new Counter("rx", "bytes", LinkStats::rxBytes),
        new Counter("tx", "bytes", LinkStats::txBytes),
        new Counter("rx", "errors", LinkStats::rxErrors),
        new Counter("tx", "errors", LinkStats::txErrors),
        new Counter("rx", "dropped", LinkStats::rxDropped),
        new Counter("tx", "dropped", LinkStats::txDropped),
        new Counter("rx", "multicast", LinkStats::multicast),
        new Counter("tx", "collisions", LinkStats::collisions),
    };

    @Test
    void theDatagramsSentAreCountedOnBothEndsAsIpCountsThem() throws Exception {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            VethPair pair = ra.createVeth(LinkSpec.veth("sa").peer("sb").up(), rb);
            ra.addAddress(pair.local(), "10.7.0.1/24");
            rb.addAddress(pair.peer(), "10.7.0.2/24");
            Link sa = ra.waitUntilUp(pair.local(), Duration.ofSeconds(10));
            Link sb = rb.waitUntilUp(pair.peer(), Duration.ofSeconds(10));
            LinkStats sentBefore = ra.stats(sa);
            LinkStats gotBefore = rb.stats(sb);

            InetAddress to = IpPrefix.parseAddress("10.7.0.2");
            try (DatagramSocket receiver = Netns.execute(b, () -> new DatagramSocket(0, to))) {
                receiver.setSoTimeout(5000);
                Netns.execute(a, () -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        for (int i = 0; i < DATAGRAMS; i++) {
                            sender.send(new DatagramPacket(new byte[PAYLOAD], PAYLOAD, to, receiver.getLocalPort()));
                        }
                    }
                });
                for (int i = 0; i < DATAGRAMS; i++) {
                    receiver.receive(new DatagramPacket(new byte[PAYLOAD], PAYLOAD));
                }
            }

            LinkStats sent = ra.stats(sa);
            LinkStats got = rb.stats(sb);
            // at least what was sent (the kernel adds ARP, and IPv6 solicitations of its own)
            assertThat(sent.txPackets() - sentBefore.txPackets()).isGreaterThanOrEqualTo(DATAGRAMS);
            assertThat(sent.txBytes() - sentBefore.txBytes()).isGreaterThanOrEqualTo(DATAGRAMS * (PAYLOAD + HEADERS));
            assertThat(got.rxPackets() - gotBefore.rxPackets()).isGreaterThanOrEqualTo(DATAGRAMS);
            assertThat(got.rxBytes() - gotBefore.rxBytes()).isGreaterThanOrEqualTo(DATAGRAMS * (PAYLOAD + HEADERS));
            assertThat(sent.txErrors() + sent.rxErrors() + got.txErrors() + got.rxErrors())
                    .isZero();
            assertThat(sent.toString()).startsWith("LinkStats[rx " + sent.rxPackets() + " packets ");

            // counters are no part of a Link: a snapshot of the unchanged link is equal after the traffic
            assertThat(ra.refresh(sa)).isEqualTo(sa);

            assertAgreesWithIp(ra, sa, a);
            assertAgreesWithIp(rb, sb, b);

            NetnsAssertions.assertThat(sa)
                    .in(a)
                    .stats()
                    .hasTransmittedPacketsAtLeast(DATAGRAMS)
                    .hasTransmittedBytesAtLeast(DATAGRAMS * (PAYLOAD + HEADERS))
                    .hasNoErrors()
                    .hasNoDrops();
            NetnsAssertions.assertThat(sb)
                    .in(b)
                    .stats()
                    .hasReceivedPacketsAtLeast(DATAGRAMS)
                    .hasReceivedBytesAtLeast(DATAGRAMS * (PAYLOAD + HEADERS))
                    .hasNoErrors();
            assertThatThrownBy(
                            () -> NetnsAssertions.assertThat(sb).in(b).stats().hasReceivedPacketsAtLeast(1_000_000))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting link \"sb\" in net:[" + b.ino()
                            + "] to have received at least 1000000 packets, but it received ")
                    .hasMessageContaining("(LinkStats[rx ");
            assertThatThrownBy(
                            () -> NetnsAssertions.assertThat(sa).in(a).stats().hasTransmittedPacketsAtLeast(1_000_000))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have transmitted at least 1000000 packets");
        }
    }

    /**
     * Each counter of ours read before {@code ip -s -j} is at most ip's, and ip's at most ours read after: exact
     * while nothing moves, and true whatever the kernel sends meanwhile.
     */
    private static void assertAgreesWithIp(Rtnl rtnl, Link link, NsFd ns) {
        LinkStats before = rtnl.stats(link);
        Map<String, Object> ip = Ip.parseArray(Ip.run(ns, "ip", "-s", "-j", "link", "show", "dev", link.name()))
                .get(0);
        LinkStats after = rtnl.stats(link);
        for (Counter c : COUNTERS) {
            long theirs = Ip.num(Ip.get(ip, "stats64", c.rxOrTx(), c.name()));
            assertThat(theirs)
                    .as(
                            "%s %s %s: ip -s -j says %s, jnetns %s then %s",
                            link.name(), c.rxOrTx(), c.name(), theirs, before, after)
                    .isBetween(c.ours().applyAsLong(before), c.ours().applyAsLong(after));
        }
    }

    @Test
    void aLinkOfAnotherNamespaceIsRefusedNamingBoth() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            Link loB = rb.link("lo");
            assertThatThrownBy(() -> ra.stats(loB))
                    .isInstanceOf(NetnsException.class)
                    .hasMessage("RTM_GETLINK \"lo\" stats: link \"lo\" (index 1) was read from net:[" + b.ino()
                            + "], but Rtnl(net:[" + a.ino() + "]) works in net:[" + a.ino() + "]");
        }
    }

    /** An RTM_NEWLINK carrying {@code attrType} with {@code payload}. */
    private static NlMessage linkMessage(int attrType, byte[] payload) {
        byte[] bytes = new NlBuilder(Nl.RTM_NEWLINK, 0)
                .ifinfomsg(Nl.AF_UNSPEC, 1, 0, 0)
                .attr(attrType, payload)
                .build(1);
        return NlMessage.parseAll(bytes, bytes.length).get(0);
    }

    @Test
    void thirtyTwoBitCountersAreReadUnsignedWhenThereAreNo64BitOnes() {
        ByteBuffer b = ByteBuffer.allocate(23 * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 23; i++) {
            b.putInt(i + 1);
        }
        b.putInt(0, 0xfffffffe); // rx_packets beyond 2^31
        LinkStats stats = LinkStats.decode(linkMessage(Nl.IFLA_STATS, b.array()));
        assertThat(stats).isEqualTo(new LinkStats(0xfffffffeL, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(LinkStats.decode(linkMessage(Nl.IFLA_MTU, new byte[4]))).isNull();
    }

    @Test
    void aShortStatisticsAttributeIsRefusedAsMalformed() {
        assertThatThrownBy(() -> LinkStats.decode(linkMessage(Nl.IFLA_STATS64, new byte[79])))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("79 bytes of payload, needs 80");
        assertThatThrownBy(() -> LinkStats.decode(linkMessage(Nl.IFLA_STATS, new byte[39])))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("39 bytes of payload, needs 40");
    }
}
