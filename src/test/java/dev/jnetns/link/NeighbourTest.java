package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.assertj.NetnsAssertions;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Neighbour entries (ARP, NDP) added, replaced, listed and deleted, each checked with {@code ip -j neigh}. */
@ExtendWith(NoFdLeaks.class)
class NeighbourTest {

    /** {@code dst lladdr state} of every entry ip shows on {@code dev}. */
    private static List<String> ipNeigh(NsFd ns, String dev) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> n : Ip.parseArray(Ip.run(ns, "ip", "-j", "neigh", "show", "nud", "all", "dev", dev))) {
            List<String> state = Ip.get(n, "state");
            out.add(n.get("dst") + " " + n.get("lladdr") + " " + String.join(",", state));
        }
        return out;
    }

    private static List<String> mine(Rtnl rtnl, Link link) {
        List<String> out = new ArrayList<>();
        for (Neighbour n : rtnl.neighbours(link)) {
            out.add(IpPrefix.format(n.address()) + " " + n.mac() + " " + n.stateName());
        }
        return out;
    }

    @Test
    void permanentEntriesAddReplaceListDelete() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("nb0").peer("nb1").up()).local();
            rtnl.addNeighbour(link, "10.1.0.7", "02:00:00:00:00:07");
            rtnl.addNeighbour(link, "fd00::7", "02:00:00:00:00:AA");
            assertThat(ipNeigh(ns, "nb0"))
                    .contains("10.1.0.7 02:00:00:00:00:07 PERMANENT", "fd00::7 02:00:00:00:00:aa PERMANENT");
            // the kernel joins IPv6 multicast groups (NOARP entries ff02::...) on its own time: compare the rest
            assertThat(mine(rtnl, link))
                    .filteredOn(n -> !n.startsWith("ff"))
                    .containsExactlyInAnyOrderElementsOf(ipNeigh(ns, "nb0").stream()
                            .filter(n -> !n.startsWith("ff"))
                            .toList());
            assertThat(rtnl.neighbours(link))
                    .filteredOn(n -> n.address().isMulticastAddress())
                    .allMatch(n -> n.state() == Neighbour.NOARP);
            assertThat(rtnl.neighbours()).filteredOn(Neighbour::isPermanent).hasSize(2);

            assertThatThrownBy(() -> rtnl.addNeighbour(link, "10.1.0.7", "02:00:00:00:00:08"))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("RTM_NEWNEIGH 10.1.0.7 lladdr 02:00:00:00:00:08 on \"nb0\"")
                    .hasMessageContaining("EEXIST");
            rtnl.replaceNeighbour(link, "10.1.0.7", "02:00:00:00:00:08");
            assertThat(ipNeigh(ns, "nb0")).contains("10.1.0.7 02:00:00:00:00:08 PERMANENT");
            NetnsAssertions.assertThat(ns).hasNeighbour("10.1.0.7", "02:00:00:00:00:08");

            rtnl.deleteNeighbour(link, "10.1.0.7");
            rtnl.deleteNeighbour(link, "fd00::7");
            assertThat(ipNeigh(ns, "nb0")).noneMatch(n -> n.contains("PERMANENT"));
            assertThat(rtnl.neighbours(link)).noneMatch(Neighbour::isPermanent);
            assertThatThrownBy(() -> rtnl.deleteNeighbour(link, "10.1.0.7"))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("RTM_DELNEIGH 10.1.0.7 on \"nb0\"")
                    .hasMessageContaining("ENOENT");
        }
    }

    @Test
    void aPermanentEntryIsUsedWithoutArpAndAWrongOneMisdelivers() throws Exception {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            VethPair pair =
                    ra.createVeth(LinkSpec.veth("na0").peer("nb0").peerNetns(b).up(), rb);
            Link na = pair.local();
            Link nb = rb.link("nb0");
            ra.addAddress(na, "10.2.0.1/24");
            rb.addAddress(nb, "10.2.0.2/24");
            ra.waitUntilUp(na, java.time.Duration.ofSeconds(10));
            rb.waitUntilUp(nb, java.time.Duration.ofSeconds(10));

            ra.addNeighbour(na, "10.2.0.2", nb.mac());
            try (DatagramSocket receiver =
                    Netns.execute(b, () -> new DatagramSocket(new InetSocketAddress("10.2.0.2", 0)))) {
                receiver.setSoTimeout(5000);
                int port = receiver.getLocalPort();
                send(a, "10.2.0.2", port, "hello");
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                receiver.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("hello");
                // a never asked: b learnt nothing about 10.2.0.1 (an ARP request would have taught it)
                assertThat(ipNeigh(b, "nb0")).noneMatch(n -> n.startsWith("10.2.0.1 "));
                assertThat(ipNeigh(a, "na0"))
                        .filteredOn(n -> n.startsWith("10."))
                        .containsExactly("10.2.0.2 " + nb.mac() + " PERMANENT");
                NetnsAssertions.assertThat(a).hasNeighbour("10.2.0.2", nb.mac());

                // pointed at another MAC, the frame reaches b's link but not b's socket
                ra.replaceNeighbour(na, "10.2.0.2", "02:00:00:00:00:99");
                send(a, "10.2.0.2", port, "lost");
                receiver.setSoTimeout(300);
                assertThatThrownBy(() -> receiver.receive(new DatagramPacket(new byte[64], 64)))
                        .isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    private static void send(NsFd ns, String host, int port, String text) throws Exception {
        Netns.execute(ns, () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] data = text.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(data, data.length, new InetSocketAddress(host, port)));
            }
            return null;
        });
    }

    @Test
    void hasNeighbourFailsListingTheTable() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("nf0").peer("nf1").up()).local();
            rtnl.addNeighbour(link, "10.3.0.7", "02:00:00:00:00:07");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(ns).hasNeighbour("10.3.0.7", "02:00:00:00:00:08"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have neighbour 10.3.0.7 lladdr 02:00:00:00:00:08 but its neighbours are")
                    .hasMessageContaining("10.3.0.7 lladdr 02:00:00:00:00:07 dev nf0 PERMANENT");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(ns).hasNeighbour("10.3.0.7", "02:00:00:00:07"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("02:00:00:00:07");
        }
    }

    @Test
    void badInputIsRefusedBeforeAnySyscall() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("nx0").peer("nx1")).local();
            assertThatThrownBy(() -> rtnl.addNeighbour(link, "10.1.0.7", "02:00:00:00:00"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid MAC address \"02:00:00:00:00\"");
            assertThatThrownBy(() -> rtnl.addNeighbour(link, "host.example", "02:00:00:00:00:07"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("host.example");
            assertThat(ipNeigh(ns, "nx0")).noneMatch(n -> n.startsWith("10.1.0.7"));
        }
    }
}
