package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Link and qdisc kinds as classes: the two kinds added as one class and one factory method each (htb, which
 * this kernel has, and vlan, which it may lack), and raw {@code IFLA_INFO_DATA} attributes reaching the kernel
 * for typed and raw kinds alike, checked with {@code ip -j -d} and {@code tc -j}.
 */
@ExtendWith(NoFdLeaks.class)
class KindsTest {
    private static final int IFLA_VXLAN_LEARNING = 7; // linux/if_link.h; jnetns has no typed setting for it

    private static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    @Test
    void htbIsARootQdiscAsTcSeesIt() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("htb0").peer("htb1").up()).local();
            rtnl.addQdisc(link, QdiscSpec.htb(0x10));

            Map<String, Object> q = Ip.qdiscs(ns).stream()
                    .filter(x -> "htb0".equals(x.get("dev")) && Boolean.TRUE.equals(x.get("root")))
                    .findFirst()
                    .orElseThrow();
            assertThat(q.get("kind")).isEqualTo("htb");
            assertThat(Ip.<String>get(q, "options", "default")).isEqualTo("0x10");
            assertThat(Ip.num(Ip.get(q, "options", "r2q"))).isEqualTo(10);
            assertThat(rtnl.qdiscs(link)).singleElement().satisfies(read -> {
                assertThat(read.kind()).isEqualTo("htb");
                assertThat(read.isRoot()).isTrue();
                assertThat(read.handleString()).isEqualTo(q.get("handle"));
            });

            // htb has no change operation: replacing it with another htb is refused by the kernel, with its text
            assertThatThrownBy(() -> rtnl.replaceQdisc(link, QdiscSpec.htb(0x20)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWQDISC replace htb root on \"htb0\": EINVAL")
                    .hasMessageContaining("Change operation not supported");
            rtnl.replaceQdisc(link, QdiscSpec.tbf(125_000, 4096, java.time.Duration.ofMillis(50)));
            assertThat(Ip.qdiscs(ns).stream().filter(x -> "htb0".equals(x.get("dev"))))
                    .anySatisfy(x -> assertThat(x.get("kind")).isEqualTo("tbf"))
                    .noneSatisfy(x -> assertThat(x.get("kind")).isEqualTo("htb"));
            rtnl.deleteQdisc(link);
            assertThat(rtnl.qdiscs(link)).noneMatch(x -> x.kind().equals("htb"));
        }
    }

    @Test
    void htbRefusesADefaultClassOutOfRange() {
        assertThatThrownBy(() -> QdiscSpec.htb(0x10000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 65536");
        assertThatThrownBy(() -> QdiscSpec.htb(0x10).delay(java.time.Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("delay is not applicable to htb");
    }

    @Test
    void vlanSendsItsIdInInfoData() {
        Link parent = new Link(7, "p0", "veth", null, 1500, 0, OperState.UP, 0, 0, -1, null, 1000, 1, 1, 0, 1);
        byte[] request = LinkMessages.newLink(LinkSpec.vlan("v5", parent, 5), "v5", null, null)
                .build(1);
        NlMessage m = NlMessage.parseAll(request, request.length).get(0);
        NlAttrs attrs = m.attributes(Nl.IFINFOMSG_LEN);
        assertThat(attrs.u32(Nl.IFLA_LINK)).isEqualTo(7);
        NlAttrs info = attrs.nested(Nl.IFLA_LINKINFO);
        assertThat(info.string(Nl.IFLA_INFO_KIND)).isEqualTo("vlan");
        assertThat(info.nested(Nl.IFLA_INFO_DATA).u16(VlanKind.IFLA_VLAN_ID)).isEqualTo(5);
    }

    @Test
    void vlanWorksOrSkipsWithTheKernelsReason() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link parent = rtnl.createVeth(LinkSpec.veth("vp0").peer("vp1")).local();
            Link vlan;
            try {
                vlan = rtnl.create(LinkSpec.vlan("vl5", parent, 5));
            } catch (NetnsException e) {
                assertThat(e.errnoName()).as(e.getMessage()).isEqualTo("EOPNOTSUPP");
                assertThat(e.getMessage())
                        .startsWith("RTM_NEWLINK vlan \"vl5\"")
                        .contains("Unknown device type");
                assertThat(Ip.linkNames(ns)).as("nothing half-made").doesNotContain("vl5");
                Assumptions.abort("this kernel cannot create vlan: " + e.getMessage());
                return;
            }
            assertThat(vlan.kind()).isEqualTo("vlan");
            Map<String, Object> seen = Ip.link(ns, "vl5");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_kind")).isEqualTo("vlan");
            assertThat(Ip.num(Ip.get(seen, "linkinfo", "info_data", "id"))).isEqualTo(5);
        }
    }

    @Test
    void aRawAttributeOnATypedVxlanReachesTheKernel() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link underlay = rtnl.createVeth(LinkSpec.veth("ul0").peer("ul1")).local();
            rtnl.create(LinkSpec.vxlan("vxl0", 42).device(underlay).port(4789));
            rtnl.create(LinkSpec.vxlan("vxl1", 43).device(underlay).port(4790).infoData(IFLA_VXLAN_LEARNING, u8(0)));
            assertThat(Ip.<Boolean>get(Ip.link(ns, "vxl0"), "linkinfo", "info_data", "learning"))
                    .as("the kernel's default")
                    .isTrue();
            assertThat(Ip.<Boolean>get(Ip.link(ns, "vxl1"), "linkinfo", "info_data", "learning"))
                    .as("learning off, set only by the raw attribute")
                    .isFalse();
            assertThat(Ip.num(Ip.get(Ip.link(ns, "vxl1"), "linkinfo", "info_data", "id")))
                    .isEqualTo(43);
        }
    }

    @Test
    void rawVxlanAndMacvlanKindsCarryTheirData() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link underlay = rtnl.createVeth(LinkSpec.veth("ru0").peer("ru1")).local();
            Link vxlan = rtnl.create(LinkSpec.of("vxlan", "rvx0")
                    .infoData(Nl.IFLA_VXLAN_ID, u32(77))
                    .infoData(Nl.IFLA_VXLAN_LINK, u32(underlay.index())));
            Link macvlan = rtnl.create(LinkSpec.of("macvlan", "rmv0")
                    .parent(underlay)
                    .infoData(Nl.IFLA_MACVLAN_MODE, u32(MacvlanMode.PRIVATE.value)));

            assertThat(vxlan.kind()).isEqualTo("vxlan");
            assertThat(Ip.num(Ip.get(Ip.link(ns, "rvx0"), "linkinfo", "info_data", "id")))
                    .isEqualTo(77);
            assertThat(macvlan.kind()).isEqualTo("macvlan");
            assertThat(Ip.<String>get(Ip.link(ns, "rmv0"), "linkinfo", "info_data", "mode"))
                    .isEqualTo("private");
        }
    }

    @Test
    void rawDataIsRefusedBeforeAnySyscallWhereAKindCannotTakeIt() {
        assertThatThrownBy(() -> LinkSpec.veth("v0").infoData(1, u8(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("infoData is not applicable to a veth link");
        assertThatThrownBy(() -> LinkSpec.of("vxlan", "v0").infoData(0, u8(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute type must be 1 to 16383, was 0");
        assertThatThrownBy(() -> LinkSpec.of("vxlan", "v0").infoData(1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("payload");
    }
}
