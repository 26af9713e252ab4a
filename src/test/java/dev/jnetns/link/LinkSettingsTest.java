package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each link setting, and the kinds this kernel has, agree with {@code ip -j -d link}. */
@ExtendWith(NoFdLeaks.class)
class LinkSettingsTest {

    private static List<String> flags(NsFd ns, String name) {
        return Ip.get(Ip.link(ns, name), "flags");
    }

    /** Linux 6.2 made renaming a link that is up possible; before, the kernel answered EBUSY. */
    @Test
    void aLinkThatIsUpIsRenamedFromLinux62OnAndRefusedBefore() {
        String[] release = System.getProperty("os.version").split("[.-]");
        boolean live = Integer.parseInt(release[0]) > 6
                || (Integer.parseInt(release[0]) == 6 && Integer.parseInt(release[1]) >= 2);
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.setUp(
                    rtnl.createVeth(LinkSpec.veth("live0").peer("live1")).local());
            assertThat(flags(ns, "live0")).contains("UP");
            if (live) {
                Link renamed = rtnl.rename(link, "renamed-up0");
                assertThat(renamed.index()).isEqualTo(link.index());
                assertThat(Ip.link(ns, "live0")).isNull();
                assertThat(flags(ns, "renamed-up0")).contains("UP");
            } else {
                assertThatThrownBy(() -> rtnl.rename(link, "renamed-up0"))
                        .isInstanceOf(NetnsException.class)
                        .hasMessageContaining("EBUSY");
            }
        }
    }

    @Test
    void upDownNameMacMtuAliasPromisc() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("set0").peer("set1"));
            Link link = pair.local();
            assertThat(link.isUp()).isFalse();
            assertThat(flags(ns, "set0")).doesNotContain("UP");

            link = rtnl.rename(link, "renamed0");
            assertThat(link.name()).isEqualTo("renamed0");
            assertThat(Ip.link(ns, "set0")).isNull();
            assertThat(Ip.num(Ip.link(ns, "renamed0").get("ifindex"))).isEqualTo(link.index());

            link = rtnl.setMac(link, "02:12:34:56:78:9a");
            assertThat(link.mac()).isEqualTo("02:12:34:56:78:9a");
            assertThat(Ip.link(ns, "renamed0").get("address")).isEqualTo("02:12:34:56:78:9a");

            link = rtnl.setMtu(link, 1280);
            assertThat(link.mtu()).isEqualTo(1280);
            assertThat(Ip.num(Ip.link(ns, "renamed0").get("mtu"))).isEqualTo(1280);

            link = rtnl.setAlias(link, "uplink to the moon");
            assertThat(link.alias()).isEqualTo("uplink to the moon");
            assertThat(Ip.link(ns, "renamed0").get("ifalias")).isEqualTo("uplink to the moon");
            assertThat(rtnl.linkByAlias("uplink to the moon").index()).isEqualTo(link.index());
            link = rtnl.setAlias(link, null);
            assertThat(link.alias()).isNull();
            assertThat(Ip.link(ns, "renamed0").get("ifalias")).isNull();

            link = rtnl.setPromiscuous(link, true);
            assertThat(link.isPromiscuous()).isTrue();
            assertThat(flags(ns, "renamed0")).contains("PROMISC");
            assertThat(Ip.num(Ip.link(ns, "renamed0").get("promiscuity"))).isEqualTo(1);
            link = rtnl.setPromiscuous(link, false);
            assertThat(link.isPromiscuous()).isFalse();
            assertThat(flags(ns, "renamed0")).doesNotContain("PROMISC");

            link = rtnl.setUp(link);
            assertThat(link.isUp()).isTrue();
            assertThat(flags(ns, "renamed0")).contains("UP");
            link = rtnl.setDown(link);
            assertThat(link.isUp()).isFalse();
            assertThat(flags(ns, "renamed0")).doesNotContain("UP");

            assertThat(rtnl.refresh(link)).isEqualTo(link);
            assertThat(rtnl.link(link.index())).isEqualTo(rtnl.link("renamed0"));
        }
    }

    @Test
    void masterAndNoMaster() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link bridge = rtnl.create(LinkSpec.bridge("br0").up());
            assertThat(bridge.kind()).isEqualTo("bridge");
            assertThat(Ip.<String>get(Ip.link(ns, "br0"), "linkinfo", "info_kind"))
                    .isEqualTo("bridge");
            Link port = rtnl.createVeth(LinkSpec.veth("port0").peer("port1")).local();
            port = rtnl.setMaster(port, bridge);
            assertThat(port.masterIndex()).isEqualTo(bridge.index());
            assertThat(Ip.link(ns, "port0").get("master")).isEqualTo("br0");
            assertThat(Ip.<String>get(Ip.link(ns, "port0"), "linkinfo", "info_slave_kind"))
                    .isEqualTo("bridge");
            port = rtnl.setNoMaster(port);
            assertThat(port.masterIndex()).isZero();
            assertThat(port.hasMaster()).isFalse();
            assertThat(Ip.link(ns, "port0").get("master")).isNull();
        }
    }

    @Test
    void moveToAnotherNamespace() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("mov0").peer("mov1"));
            Link moved = rtnl.moveTo(pair.peer(), b);
            assertThat(moved.name()).isEqualTo("mov1");
            assertThat(moved.netnsIno()).isEqualTo(b.ino());
            assertThat(Ip.linkNames(a)).containsExactlyInAnyOrder("lo", "mov0");
            assertThat(Ip.linkNames(b)).containsExactlyInAnyOrder("lo", "mov1");
            assertThat(rtnl.findLink("mov1")).isEmpty();
        }
    }

    @Test
    void waitUntilUpSeesCarrierAndTimesOutWithTheLastState() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("wait0").peer("wait1").peerNetns(b));
            Link local = rtnl.setUp(pair.local());
            // the peer is down: no carrier, so never operationally up
            assertThatThrownBy(() -> rtnl.waitUntilUp(local, Duration.ofMillis(150)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("waitUntilUp \"wait0\"")
                    .hasMessageContaining("last seen operstate DOWN")
                    .hasMessageContaining("no carrier");
            try (Rtnl peer = Rtnl.open(b)) {
                peer.setUp(pair.peer());
            }
            Link up = rtnl.waitUntilUp(local, Duration.ofSeconds(10));
            assertThat(up.operState()).isEqualTo(OperState.UP);
            assertThat(Ip.link(a, "wait0").get("operstate")).isEqualTo("UP");
        }
    }

    @Test
    void vxlanWithVniPortRemoteAndDevice() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link underlay =
                    rtnl.createVeth(LinkSpec.veth("under0").peer("under1")).local();
            Link vx = rtnl.create(LinkSpec.vxlan("vx0", 4242)
                    .remote("10.7.0.2")
                    .local("10.7.0.1")
                    .port(4789)
                    .device(underlay));
            assertThat(vx.kind()).isEqualTo("vxlan");
            Map<String, Object> seen = Ip.link(ns, "vx0");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_kind")).isEqualTo("vxlan");
            assertThat(Ip.num(Ip.get(seen, "linkinfo", "info_data", "id"))).isEqualTo(4242);
            assertThat(Ip.num(Ip.get(seen, "linkinfo", "info_data", "port"))).isEqualTo(4789); // big-endian on the wire
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "remote")).isEqualTo("10.7.0.2");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "local")).isEqualTo("10.7.0.1");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "link")).isEqualTo("under0");
        }
    }

    @Test
    void vxlanOverIpv6AndWithAMulticastGroup() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.create(
                    LinkSpec.vxlan("vx6", 6).remote("fd00::2").local("fd00::1").port(4790));
            Map<String, Object> seen = Ip.link(ns, "vx6");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "remote6")).isEqualTo("fd00::2");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "local6")).isEqualTo("fd00::1");
            assertThat(Ip.num(Ip.get(seen, "linkinfo", "info_data", "port"))).isEqualTo(4790);

            Link underlay = rtnl.createVeth(LinkSpec.veth("mc0").peer("mc1")).local();
            rtnl.create(LinkSpec.vxlan("vxg", 7).group("239.1.1.1").device(underlay));
            seen = Ip.link(ns, "vxg");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "group")).isEqualTo("239.1.1.1");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "link")).isEqualTo("mc0");
            assertThat(Ip.num(Ip.get(seen, "linkinfo", "info_data", "port"))).isEqualTo(8472); // the kernel's default
        }
    }

    @Test
    void macvlanOnAParentHereCreatedInAnotherNamespace() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            Link parent = rtnl.createVeth(LinkSpec.veth("par0").peer("par1")).local();
            Link mv = rtnl.create(
                    LinkSpec.macvlan("mv0", parent).mode(MacvlanMode.BRIDGE).netns(b));
            assertThat(mv.netnsIno()).isEqualTo(b.ino());
            assertThat(mv.kind()).isEqualTo("macvlan");
            Map<String, Object> seen = Ip.link(b, "mv0");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_kind")).isEqualTo("macvlan");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "mode")).isEqualTo("bridge");
            assertThat(Ip.link(a, "mv0")).isNull();
            Link private0 = rtnl.create(LinkSpec.macvlan("mv1", parent).mode(MacvlanMode.PRIVATE));
            assertThat(Ip.<String>get(Ip.link(a, "mv1"), "linkinfo", "info_data", "mode"))
                    .isEqualTo("private");
            assertThat(Ip.link(a, "mv1").get("link")).isEqualTo("par0");
            assertThat(private0.netnsIno()).isEqualTo(a.ino());
        }
    }

    @Test
    void genericKindWithRawInfoData() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            // IFLA_BR_MAX_AGE (3), a u32 in centiseconds (the default is 2000)
            byte[] maxAge = ByteBuffer.allocate(4)
                    .order(java.nio.ByteOrder.nativeOrder())
                    .putInt(2500)
                    .array();
            Link br = rtnl.create(LinkSpec.of("bridge", "gbr0").infoData(3, maxAge));
            assertThat(br.kind()).isEqualTo("bridge");
            assertThat(Ip.num(Ip.get(Ip.link(ns, "gbr0"), "linkinfo", "info_data", "max_age")))
                    .isEqualTo(2500);
            Link plain = rtnl.create(LinkSpec.bridge("gbr1"));
            assertThat(Ip.num(Ip.get(Ip.link(ns, "gbr1"), "linkinfo", "info_data", "max_age")))
                    .isEqualTo(2000);
            assertThat(plain.name()).isEqualTo("gbr1");
        }
    }

    @Test
    void persistentTapCarriesFramesBothWays() throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap;
            try {
                tap = rtnl.create(
                        LinkSpec.tap("tap0").mtu(1400).mac("02:00:00:00:00:01").up());
            } catch (dev.jnetns.NetnsException e) {
                // rootless: /dev/net/tun is root's (mode 0600 on some machines); skip with the kernel's answer
                org.junit.jupiter.api.Assumptions.assumeFalse(
                        e.getMessage().startsWith("open(/dev/net/tun)")
                                && (e.errnoName().equals("EACCES")
                                        || e.errnoName().equals("EPERM")),
                        e.getMessage());
                throw e;
            }
            assertThat(tap.kind()).isEqualTo("tun");
            Map<String, Object> seen = Ip.link(ns, "tap0");
            assertThat(Ip.<String>get(seen, "linkinfo", "info_data", "type")).isEqualTo("tap");
            assertThat(Ip.<Object>get(seen, "linkinfo", "info_data", "pi")).isEqualTo(false);
            assertThat(Ip.num(seen.get("mtu"))).isEqualTo(1400);
            assertThat(seen.get("address")).isEqualTo("02:00:00:00:00:01");
            rtnl.addAddress(tap, "10.9.0.1/24");
            try (TapDevice dev = rtnl.openTap(tap)) {
                rtnl.waitUntilUp(tap, Duration.ofSeconds(10));
                // the kernel resolves 10.9.0.2 with an ARP request out of the tap: read it
                Netns.execute(ns, () -> {
                    try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
                        byte[] data = {1, 2, 3};
                        s.send(new java.net.DatagramPacket(
                                data, data.length, java.net.InetAddress.getByAddress(new byte[] {10, 9, 0, 2}), 9));
                    }
                });
                byte[] frame = null;
                for (int i = 0; i < 50 && frame == null; i++) {
                    byte[] f = dev.readFrame(Duration.ofMillis(200));
                    if (f != null && f.length >= 42 && f[12] == 0x08 && f[13] == 0x06) {
                        frame = f;
                    }
                }
                assertThat(frame).as("an ARP frame read from the tap").isNotNull();
                assertThat(java.util.Arrays.copyOfRange(frame, 38, 42)).containsExactly(10, 9, 0, 2);
                assertThat(java.util.Arrays.copyOfRange(frame, 6, 12)).containsExactly(2, 0, 0, 0, 0, 1);

                long rxBefore = rxPackets(ns, "tap0");
                byte[] out = new byte[60];
                ByteBuffer.wrap(out)
                        .put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 9, (byte) 0x88, (byte) 0xb5});
                dev.write(out);
                assertThat(rxPackets(ns, "tap0")).isEqualTo(rxBefore + 1);
            }
            // persistent: the device outlives its descriptor
            assertThat(Ip.link(ns, "tap0")).isNotNull();
            rtnl.delete(tap);
            assertThat(Ip.link(ns, "tap0")).isNull();
        }
    }

    private static long rxPackets(NsFd ns, String name) {
        for (Map<String, Object> l : Ip.parseArray(Ip.run(ns, "ip", "-j", "-s", "link", "show", "dev", name))) {
            return Ip.num(Ip.get(l, "stats64", "rx", "packets"));
        }
        throw new AssertionError("no " + name);
    }
}
