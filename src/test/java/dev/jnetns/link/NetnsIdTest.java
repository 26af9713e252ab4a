package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.assertj.NetnsAssertions;
import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Namespace ids, and links tied to links in other namespaces, as {@code ip -j netns list-id} and {@code ip -j link} see them. */
@ExtendWith(NoFdLeaks.class)
class NetnsIdTest {

    /** {@code ip -j netns list-id} in {@code ns}: the ids it gives. */
    private static List<Long> ipNsids(NsFd ns) {
        return Ip.parseArray(Ip.run(ns, "ip", "-j", "netns", "list-id")).stream()
                .map(e -> Ip.num(e.get("nsid")))
                .sorted()
                .toList();
    }

    @Test
    void idsAreSetChosenReadAndListedAsIpSeesThem() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                NsFd c = Netns.newTransient();
                NsFd d = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            assertThat(rtnl.netnsId(b)).isEqualTo(-1);
            assertThat(rtnl.netnsIds()).isEmpty();
            assertThat(ipNsids(a)).isEmpty();

            rtnl.setNetnsId(b, 5);
            assertThat(rtnl.netnsId(b)).isEqualTo(5);
            assertThat(rtnl.netnsId(c)).as("reading assigns none").isEqualTo(-1);
            int chosen = rtnl.ensureNetnsId(c);
            assertThat(chosen).as("the kernel takes the lowest free id").isEqualTo(0);
            assertThat(rtnl.ensureNetnsId(c)).isEqualTo(0);
            assertThat(rtnl.ensureNetnsId(b)).as("an id is kept").isEqualTo(5);
            assertThat(rtnl.netnsIds()).containsExactly(0, 5);
            assertThat(ipNsids(a)).containsExactly(0L, 5L);
            try (Rtnl inB = Rtnl.open(b)) {
                assertThat(inB.netnsIds()).as("ids are per namespace").isEmpty();
                assertThat(inB.netnsId(a)).isEqualTo(-1);
            }

            assertThatThrownBy(() -> rtnl.setNetnsId(b, 6))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("RTM_NEWNSID net:[" + b.ino() + "] nsid 6")
                    .hasMessageContaining("EEXIST")
                    .hasMessageContaining("already has nsid 5");
            assertThatThrownBy(() -> rtnl.setNetnsId(d, 5))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("EEXIST")
                    .hasMessageContaining("nsid 5 is another namespace's");
            assertThat(rtnl.netnsId(b)).isEqualTo(5);
            assertThat(rtnl.netnsId(d)).isEqualTo(-1);
        }
    }

    @Test
    void aVethsPeerInAnotherNamespaceIsReadThereWithTheIdTheKernelGaveIt() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                NsFd c = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a);
                Rtnl inB = Rtnl.open(b)) {
            rtnl.setNetnsId(b, 7);
            VethPair pair = rtnl.createVeth(LinkSpec.veth("pa0").peer("pb0").peerNetns(b));
            Link local = pair.local();
            assertThat(local.linkNetnsId()).isEqualTo(7);
            Map<String, Object> seen = Ip.link(a, "pa0");
            assertThat(Ip.num(seen.get("link_netnsid"))).isEqualTo(7);
            Map<String, Object> seenPeer = Ip.link(b, "pb0");
            assertThat(local.linkIndex()).isEqualTo(Ip.num(seenPeer.get("ifindex")));

            Link peer = rtnl.peer(local, c, b);
            assertThat(peer.name()).isEqualTo("pb0");
            assertThat(peer.index()).isEqualTo(Ip.num(seenPeer.get("ifindex")));
            assertThat(peer.netnsIno()).isEqualTo(b.ino());
            assertThat(peer.linkIndex()).isEqualTo(local.index());
            // the peer's link-netnsid is b's id for a, which the kernel assigned when it first named a in b
            assertThat(peer.linkNetnsId()).isEqualTo(inB.netnsId(a)).isGreaterThanOrEqualTo(0);
            assertThat(Ip.num(seenPeer.get("link_netnsid"))).isEqualTo(peer.linkNetnsId());
            assertThat(inB.peer(peer, a)).isEqualTo(rtnl.link("pa0"));

            assertThatThrownBy(() -> rtnl.peer(local))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("RTM_GETLINK peer of \"pa0\"")
                    .hasMessageContaining("index " + peer.index())
                    .hasMessageContaining("nsid 7")
                    .hasMessageContaining("no candidate was given");
            assertThatThrownBy(() -> rtnl.peer(local, c))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("net:[" + c.ino() + "] has no nsid");

            NetnsAssertions.assertThat(local).in(a).hasPeerIn(b).hasPeerIn(b, "pb0");
            NetnsAssertions.assertThat(peer).in(b).hasPeerIn(a, "pa0");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(local).in(a).hasPeerIn(b, "other0"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have veth peer \"other0\" in net:[" + b.ino() + "]")
                    .hasMessageContaining("its peer there is named \"pb0\"");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(local).in(a).hasPeerIn(c))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have its veth peer in net:[" + c.ino() + "]")
                    .hasMessageContaining("net:[" + c.ino() + "] has no nsid");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(local).in(a).hasPeerIn(a))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("nsid 7, which no candidate is");
        }
    }

    @Test
    void aVethsPeerInTheSameNamespaceNeedsNoCandidate() {
        try (NsFd a = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("sa0").peer("sa1"));
            assertThat(pair.local().linkNetnsId()).isEqualTo(-1);
            assertThat(Ip.link(a, "sa0")).doesNotContainKey("link_netnsid");
            assertThat(rtnl.peer(pair.local())).isEqualTo(rtnl.link("sa1"));
            NetnsAssertions.assertThat(pair.local()).in(a).hasPeerIn(a, "sa1");
            try (NsFd other = Netns.newTransient()) {
                assertThatThrownBy(() ->
                                NetnsAssertions.assertThat(pair.local()).in(a).hasPeerIn(other))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("its peer \"sa1\" is in its own namespace");
            }
            assertThat(rtnl.netnsIds()).isEmpty();
        }
    }

    /** A macvlan made on a parent in {@code a} and moved to {@code b} keeps its parent in {@code a}. */
    @Test
    void aMacvlanMovedAwayNamesItsParentInTheNamespaceItLeft() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a);
                Rtnl inB = Rtnl.open(b)) {
            Link p0 = rtnl.createVeth(LinkSpec.veth("mp0").peer("mp1")).local();
            Link mv = rtnl.create(LinkSpec.macvlan("mv0", p0));
            assertThat(rtnl.parent(mv)).isEqualTo(rtnl.link("mp0"));
            Link moved = rtnl.moveTo(mv, b);
            int idOfA = inB.netnsId(a);
            assertThat(idOfA)
                    .as("the kernel gave a an id in b to name the parent")
                    .isGreaterThanOrEqualTo(0);
            assertThat(moved.linkNetnsId()).isEqualTo(idOfA);
            assertThat(moved.linkIndex()).isEqualTo(p0.index());
            Map<String, Object> seen = Ip.link(b, "mv0");
            assertThat(Ip.num(seen.get("link_netnsid"))).isEqualTo(idOfA);
            assertThat(Ip.num(seen.get("link_index"))).isEqualTo(p0.index());

            Link parent = inB.parent(moved, a);
            assertThat(parent.name()).isEqualTo("mp0");
            assertThat(parent.netnsIno()).isEqualTo(a.ino());
            assertThat(inB.netnsIds()).contains(idOfA);
            assertThatThrownBy(() -> inB.peer(moved, a))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"mv0\"")
                    .hasMessageContaining("not a veth");
        }
    }

    /**
     * Why {@link Rtnl#peer} reads through a handle on the peer's namespace, not by id ({@code IFLA_TARGET_NETNSID}):
     * the kernel then reports the peer's link-netnsid as the asking namespace numbers namespaces (giving it an id
     * for itself on the way), not as the peer's namespace does.
     */
    @Test
    void readByIdTheKernelNumbersThePeersNamespacesAsTheAskingOneDoes() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a);
                Rtnl inB = Rtnl.open(b)) {
            rtnl.setNetnsId(b, 7);
            inB.setNetnsId(a, 3);
            VethPair pair = rtnl.createVeth(LinkSpec.veth("ta0").peer("tb0").peerNetns(b));
            assertThat(rtnl.netnsId(a)).isEqualTo(-1);
            Link byId;
            try (NetlinkSocket s = Netns.execute(a, () -> NetlinkSocket.open("by id"))) {
                byId = s
                        .request(
                                new NlBuilder(Nl.RTM_GETLINK, 0)
                                        .ifinfomsg(Nl.AF_UNSPEC, pair.peer().index(), 0, 0)
                                        .u32(Nl.IFLA_TARGET_NETNSID, 7),
                                "RTM_GETLINK by id")
                        .stream()
                        .filter(m -> m.type() == Nl.RTM_NEWLINK)
                        .map(m -> Link.decode(m, b.ino()))
                        .findFirst()
                        .orElseThrow();
            } catch (RuntimeException e) {
                Assumptions.assumeTrue(false, "kernel (IFLA_TARGET_NETNSID is Linux 4.20): " + e.getMessage());
                throw e;
            }
            assertThat(byId.name()).isEqualTo("tb0");
            assertThat(rtnl.peer(pair.local(), b).linkNetnsId()).isEqualTo(3);
            int selfId = rtnl.netnsId(a);
            assertThat(selfId).as("a now has an id for itself").isGreaterThanOrEqualTo(0);
            assertThat(byId.linkNetnsId()).isEqualTo(selfId).isNotEqualTo(3);
        }
    }
}
