package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.assertj.NetnsAssertions;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Queue length, numbers of queues, group and master, at creation and after; a veth peer's own MTU and MAC; kind
 * data changed after creation ({@link Rtnl#modify}). Each checked with {@code ip -j -d link}.
 */
@ExtendWith(NoFdLeaks.class)
class LinkAttributesTest {

    private static Map<String, Object> ip(NsFd ns, String name) {
        Map<String, Object> link = Ip.link(ns, name);
        assertThat(link).as("ip -j -d link show %s", name).isNotNull();
        return link;
    }

    private static long num(NsFd ns, String name, String... path) {
        return Ip.num(Ip.get(ip(ns, name), path));
    }

    @Test
    void aVethsAttributesAtCreationAreWhatIpSees() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link br = rtnl.create(LinkSpec.bridge("br0"));
            VethPair pair = rtnl.createVeth(LinkSpec.veth("va")
                    .peer("vb")
                    .mtu(1400)
                    .mac("02:00:00:00:00:aa")
                    .txQueueLen(77)
                    .numTxQueues(3)
                    .numRxQueues(2)
                    .group(5)
                    .master(br)
                    .peerMtu(1300)
                    .peerMac("02:00:00:00:00:bb"));
            Link va = pair.local();
            Link vb = pair.peer();

            assertThat(va.mtu()).isEqualTo(1400);
            assertThat(va.mac()).isEqualTo("02:00:00:00:00:aa");
            assertThat(va.txQueueLen()).isEqualTo(77);
            assertThat(va.numTxQueues()).isEqualTo(3);
            assertThat(va.numRxQueues()).isEqualTo(2);
            assertThat(va.group()).isEqualTo(5);
            assertThat(va.masterIndex()).isEqualTo(br.index());
            assertThat(va.toString()).contains(" group 5");
            assertThat(num(ns, "va", "mtu")).isEqualTo(1400);
            assertThat(ip(ns, "va").get("address")).isEqualTo("02:00:00:00:00:aa");
            assertThat(num(ns, "va", "txqlen")).isEqualTo(77);
            assertThat(num(ns, "va", "num_tx_queues")).isEqualTo(3);
            assertThat(num(ns, "va", "num_rx_queues")).isEqualTo(2);
            assertThat(ip(ns, "va").get("group")).isEqualTo("5");
            assertThat(ip(ns, "va").get("master")).isEqualTo("br0");

            // the peer: its own MTU and MAC; queue length and queues of both ends (as vishvananda/netlink); the
            // group and the master are the local end's only
            assertThat(vb.mtu()).isEqualTo(1300);
            assertThat(vb.mac()).isEqualTo("02:00:00:00:00:bb");
            assertThat(vb.txQueueLen()).isEqualTo(77);
            assertThat(vb.numTxQueues()).isEqualTo(3);
            assertThat(vb.numRxQueues()).isEqualTo(2);
            assertThat(vb.group()).isZero();
            assertThat(vb.hasMaster()).isFalse();
            assertThat(num(ns, "vb", "mtu")).isEqualTo(1300);
            assertThat(ip(ns, "vb").get("address")).isEqualTo("02:00:00:00:00:bb");
            assertThat(num(ns, "vb", "txqlen")).isEqualTo(77);
            assertThat(num(ns, "vb", "num_tx_queues")).isEqualTo(3);
            assertThat(num(ns, "vb", "num_rx_queues")).isEqualTo(2);
            assertThat(ip(ns, "vb").get("group")).isEqualTo("default");
            assertThat(ip(ns, "vb").get("master")).isNull();

            NetnsAssertions.assertThat(va).in(ns).hasTxQueueLen(77).hasGroup(5).isEnslavedTo(br);
            NetnsAssertions.assertThat(vb).in(ns).hasTxQueueLen(77).hasGroup(0).hasMtu(1300);
            assertThatThrownBy(() -> NetnsAssertions.assertThat(va).in(ns).hasTxQueueLen(1000))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting link \"va\" in net:[" + ns.ino() + "] to have txqlen 1000, but it"
                            + " has txqlen 77");
            assertThatThrownBy(() -> NetnsAssertions.assertThat(vb).in(ns).hasGroup(5))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to be in group 5, but it is in group 0");
        }
    }

    @Test
    void everyLinkReadsBackTheKernelsDefaults() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.create(LinkSpec.bridge("br0"));
            for (Link link : rtnl.links()) {
                assertThat(link.txQueueLen()).as("%s", link).isEqualTo(num(ns, link.name(), "txqlen"));
                assertThat(link.numTxQueues()).as("%s", link).isEqualTo(num(ns, link.name(), "num_tx_queues"));
                assertThat(link.numRxQueues()).as("%s", link).isEqualTo(num(ns, link.name(), "num_rx_queues"));
                assertThat(link.group()).as("%s", link).isZero();
                assertThat(ip(ns, link.name()).get("group")).isEqualTo("default");
            }
        }
    }

    @Test
    void txQueueLenAndGroupAreSetAfterCreation() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.create(LinkSpec.bridge("br0"));
            link = rtnl.setTxQueueLen(link, 5);
            assertThat(link.txQueueLen()).isEqualTo(5);
            assertThat(num(ns, "br0", "txqlen")).isEqualTo(5);
            link = rtnl.setTxQueueLen(link, 0);
            assertThat(link.txQueueLen()).isZero();
            assertThat(ip(ns, "br0")).as("ip prints no qlen of 0").doesNotContainKey("txqlen");

            link = rtnl.setGroup(link, 42);
            assertThat(link.group()).isEqualTo(42);
            assertThat(ip(ns, "br0").get("group")).isEqualTo("42");
            link = rtnl.setGroup(link, 0);
            assertThat(link.group()).isZero();
            assertThat(ip(ns, "br0").get("group")).isEqualTo("default");

            Link before = link;
            assertThatThrownBy(() -> rtnl.setTxQueueLen(before, -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("txQueueLen must not be negative, was -1");
            assertThatThrownBy(() -> rtnl.setGroup(before, -2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("group must not be negative, was -2");
            assertThat(rtnl.refresh(before)).isEqualTo(before);
        }
    }

    @Test
    void aTapGetsItsQueueLengthGroupAndMasterAfterTheIoctl() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link br = rtnl.create(LinkSpec.bridge("br0"));
            assertThatThrownBy(() -> LinkSpec.tap("tap1").numTxQueues(2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("numTxQueues is not applicable to a tap link");
            Link tap;
            try {
                tap = rtnl.create(LinkSpec.tap("tap0").txQueueLen(9).group(3).master(br));
            } catch (NetnsException e) {
                // rootless: /dev/net/tun is root's (mode 0600 on some machines); skip with the kernel's answer
                org.junit.jupiter.api.Assumptions.assumeFalse(
                        e.getMessage().startsWith("open(/dev/net/tun)")
                                && (e.errnoName().equals("EACCES")
                                        || e.errnoName().equals("EPERM")),
                        e.getMessage());
                throw e;
            }
            assertThat(tap.txQueueLen()).isEqualTo(9);
            assertThat(tap.group()).isEqualTo(3);
            assertThat(tap.masterIndex()).isEqualTo(br.index());
            assertThat(num(ns, "tap0", "txqlen")).isEqualTo(9);
            assertThat(ip(ns, "tap0").get("group")).isEqualTo("3");
            assertThat(ip(ns, "tap0").get("master")).isEqualTo("br0");
        }
    }

    @Test
    void aMasterAtCreationIsLookedUpWhereTheLinkIsMade() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            Link brA = ra.create(LinkSpec.bridge("bra"));
            Link brB = rb.create(LinkSpec.bridge("brb"));
            // made through a's handle straight into b, enslaved there to b's bridge
            VethPair pair =
                    ra.createVeth(LinkSpec.veth("x0").peer("x1").netns(b).master(brB));
            assertThat(pair.local().netnsIno()).isEqualTo(b.ino());
            assertThat(pair.local().masterIndex()).isEqualTo(brB.index());
            assertThat(ip(b, "x0").get("master")).isEqualTo("brb");

            // a's bridge for a link made in b: refused before any system call, naming both namespaces
            NetnsException e = catchThrowableOfType(
                    () -> ra.create(LinkSpec.bridge("br9").netns(b).master(brA)), NetnsException.class);
            assertThat(e)
                    .hasMessage("RTM_NEWLINK bridge: master \"bra\" (index " + brA.index() + ") was read from net:["
                            + a.ino() + "], but the link is made in net:[" + b.ino() + "]");
            assertThat(e.errno()).isZero();
            assertThat(Ip.linkNames(a)).containsExactly("lo", "bra");
            assertThat(Ip.linkNames(b)).containsExactly("lo", "brb", "x1", "x0");
        }
    }

    @Test
    void aMacvlansModeIsChangedAfterCreationAndPassthruIsRefused() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link parent = rtnl.createVeth(LinkSpec.veth("p0").peer("p1")).local();
            Link mv = rtnl.create(LinkSpec.macvlan("mv0", parent).mode(MacvlanMode.BRIDGE));
            assertThat(Ip.<String>get(ip(ns, "mv0"), "linkinfo", "info_data", "mode"))
                    .isEqualTo("bridge");

            Link changed = rtnl.modify(
                    mv,
                    LinkSpec.macvlan(null, parent)
                            .mode(MacvlanMode.PRIVATE)
                            .mtu(1300)
                            .txQueueLen(12));
            assertThat(changed.index()).isEqualTo(mv.index());
            assertThat(changed.mtu()).isEqualTo(1300);
            assertThat(changed.txQueueLen()).isEqualTo(12);
            assertThat(Ip.<String>get(ip(ns, "mv0"), "linkinfo", "info_data", "mode"))
                    .isEqualTo("private");
            assertThat(num(ns, "mv0", "mtu")).isEqualTo(1300);
            assertThat(num(ns, "mv0", "txqlen")).isEqualTo(12);

            // the driver refuses a change to or from passthru; the message names the call and the value
            NetnsException e = catchThrowableOfType(
                    () -> rtnl.modify(changed, LinkSpec.macvlan("mv0", parent).mode(MacvlanMode.PASSTHRU)),
                    NetnsException.class);
            assertThat(e.errnoName()).isEqualTo("EINVAL");
            assertThat(e)
                    .hasMessageStartingWith("RTM_NEWLINK modify macvlan \"mv0\" (parent \"p0\" index " + parent.index()
                            + ", mode passthru): EINVAL (");
            assertThat(Ip.<String>get(ip(ns, "mv0"), "linkinfo", "info_data", "mode"))
                    .isEqualTo("private");
            assertThat(Ip.linkNames(ns)).containsExactly("lo", "p1", "p0", "mv0");
        }
    }

    @Test
    void vxlanTakesNewDataButRefusesAnotherVni() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link vx = rtnl.create(LinkSpec.vxlan("vx0", 42).remote("10.0.0.2").port(4789));
            // IFLA_VXLAN_TTL (5), a u8: a raw attribute, changed in place; the same VNI may be sent
            Link changed = rtnl.modify(vx, LinkSpec.vxlan("vx0", 42).infoData(5, new byte[] {9}));
            assertThat(changed.index()).isEqualTo(vx.index());
            assertThat(num(ns, "vx0", "linkinfo", "info_data", "ttl")).isEqualTo(9);

            // the port may not be sent at all, not even unchanged
            NetnsException port = catchThrowableOfType(
                    () -> rtnl.modify(changed, LinkSpec.vxlan(null, 42).port(4789)), NetnsException.class);
            assertThat(port.errnoName()).isEqualTo("EOPNOTSUPP");
            assertThat(port)
                    .hasMessageStartingWith("RTM_NEWLINK modify vxlan \"vx0\" (vni 42, port 4789): EOPNOTSUPP (")
                    .hasMessageContaining("Cannot change port");
            assertThat(num(ns, "vx0", "linkinfo", "info_data", "port")).isEqualTo(4789);

            NetnsException e =
                    catchThrowableOfType(() -> rtnl.modify(changed, LinkSpec.vxlan(null, 43)), NetnsException.class);
            assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
            assertThat(e)
                    .hasMessageStartingWith("RTM_NEWLINK modify vxlan \"vx0\" (vni 43): EOPNOTSUPP (")
                    .hasMessageContaining("Cannot change VNI");
            assertThat(num(ns, "vx0", "linkinfo", "info_data", "id")).isEqualTo(42);
        }
    }

    @Test
    void modifyRefusesWhatItCannotChangeBeforeAnySystemCall() {
        try (NsFd ns = Netns.newTransient();
                NsFd other = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("p0").peer("p1"));
            Link parent = pair.local();
            Link mv = rtnl.create(LinkSpec.macvlan("mv0", parent));
            Map<String, Object> before = ip(ns, "mv0");

            assertThatThrownBy(() -> rtnl.modify(mv, LinkSpec.bridge(null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("modify needs a spec of the link's kind: link \"mv0\" is of kind macvlan, the spec of"
                            + " kind bridge");
            assertThatThrownBy(() -> rtnl.modify(parent, LinkSpec.veth("p0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("modify cannot change a veth");
            assertThatThrownBy(() -> rtnl.modify(mv, LinkSpec.macvlan("mv9", parent)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("modify does not rename");
            assertThatThrownBy(
                            () -> rtnl.modify(mv, LinkSpec.macvlan(null, parent).netns(other)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use moveTo");
            assertThatThrownBy(
                            () -> rtnl.modify(mv, LinkSpec.macvlan(null, parent).numTxQueues(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fixed at creation");
            assertThatThrownBy(() ->
                            rtnl.modify(mv, LinkSpec.macvlan(null, pair.local()).parent(mv)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("modify cannot change the parent");
            assertThat(ip(ns, "mv0")).isEqualTo(before);
        }
    }
}
