package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.NetlinkNatives;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Multi-queue and virtio-net-header taps, as {@code ip -j -d link} and {@code TUNGETIFF} see them. */
@ExtendWith(NoFdLeaks.class)
class TapQueuesTest {

    /** Creates the tap, or skips with the kernel's answer where /dev/net/tun is not ours (rootless). */
    static Link createOrSkip(Rtnl rtnl, LinkSpec spec) {
        try {
            return rtnl.create(spec);
        } catch (NetnsException e) {
            Assumptions.assumeFalse(
                    e.getMessage().startsWith("open(/dev/net/tun)")
                            && (e.errnoName().equals("EACCES") || e.errnoName().equals("EPERM")),
                    e.getMessage());
            throw e;
        }
    }

    private static Map<String, Object> tunData(NsFd ns, String name) {
        return Ip.get(Ip.link(ns, name), "linkinfo", "info_data");
    }

    private static long rxPackets(NsFd ns, String name) {
        for (Map<String, Object> l : Ip.parseArray(Ip.run(ns, "ip", "-j", "-s", "link", "show", "dev", name))) {
            return Ip.num(Ip.get(l, "stats64", "rx", "packets"));
        }
        throw new AssertionError("no " + name);
    }

    /** A broadcast frame of an experimental EtherType, 60 bytes. */
    private static byte[] frame(int source) {
        byte[] out = new byte[60];
        byte[] head = {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, (byte) source, (byte) 0x88, (byte) 0xb5};
        System.arraycopy(head, 0, out, 0, head.length);
        return out;
    }

    @Test
    void aMultiQueueTapOpensSeveralQueuesAndEachCarriesFrames() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap = createOrSkip(rtnl, LinkSpec.tap("mq0").multiQueue().up());
            Map<String, Object> data = tunData(ns, "mq0");
            assertThat(data).containsEntry("type", "tap").containsEntry("multi_queue", true);
            assertThat(data).containsEntry("vnet_hdr", false).containsEntry("pi", false);
            assertThat(Ip.num(data.get("numqueues"))).isZero();
            assertThat(Ip.num(Ip.link(ns, "mq0").get("num_tx_queues"))).isEqualTo(256);
            assertThat(rtnl.tapInfo(tap)).isEqualTo(new TapInfo(true, false, false, true, true, 0, 0));

            List<TapDevice> queues = rtnl.openTapQueues(tap, 4);
            try (TapDevice fifth = rtnl.openTap(tap)) {
                assertThat(queues).hasSize(4).allMatch(TapDevice::isOpen);
                assertThat(Ip.num(tunData(ns, "mq0").get("numqueues"))).isEqualTo(5);
                assertThat(rtnl.tapInfo(tap).queues()).isEqualTo(5);
                for (TapDevice q : queues) {
                    assertThat(q.attachedFlags() & NetlinkNatives.IFF_MULTI_QUEUE)
                            .as("TUNGETIFF of each queue says IFF_MULTI_QUEUE")
                            .isNotZero();
                    assertThat(q.vnetHeaderSize()).isZero();
                }
                long before = rxPackets(ns, "mq0");
                for (int i = 0; i < queues.size(); i++) {
                    queues.get(i).write(frame(i));
                }
                fifth.write(frame(9));
                assertThat(rxPackets(ns, "mq0"))
                        .as("a frame written to each queue is received")
                        .isEqualTo(before + 5);
            } finally {
                queues.get(0).close();
                assertThat(Ip.num(tunData(ns, "mq0").get("numqueues"))).isEqualTo(3);
                queues.forEach(TapDevice::close);
            }
            assertThat(Ip.num(tunData(ns, "mq0").get("numqueues"))).isZero();
            assertThat(tunData(ns, "mq0")).containsEntry("multi_queue", true);
        }
    }

    @Test
    void aSingleQueueTapRefusesASecondQueueAndKeepsNoneOfAFailedBatch() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap = createOrSkip(rtnl, LinkSpec.tap("sq0"));
            assertThat(tunData(ns, "sq0")).containsEntry("multi_queue", false);
            assertThatThrownBy(() -> rtnl.openTapQueues(tap, 2))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("TUNSETIFF open tap \"sq0\" queues 2 (queue 2)")
                    .hasMessageContaining("EBUSY")
                    .hasMessageContaining("not multi-queue");
            assertThat(tunData(ns, "sq0"))
                    .as("queues are counted for multi-queue taps only")
                    .doesNotContainKey("numqueues");
            try (TapDevice one = rtnl.openTap(tap)) { // the batch's first queue was closed, else EBUSY
                assertThat(one.attachedFlags() & NetlinkNatives.IFF_MULTI_QUEUE).isZero();
                assertThatThrownBy(() -> rtnl.openTap(tap))
                        .isInstanceOf(NetnsException.class)
                        .hasMessageContaining("EBUSY");
            }
        }
    }

    /** The kernel allows 256 queues ({@code MAX_TAP_QUEUES}); a batch beyond is refused whole. */
    @Test
    void queuesBeyondTheKernelsMaximumAreRefusedWithE2big() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap = createOrSkip(rtnl, LinkSpec.tap("mq1").multiQueue());
            assertThatThrownBy(() -> rtnl.openTapQueues(tap, 257))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("(queue 257)")
                    .hasMessageContaining("E2BIG")
                    .hasMessageContaining("at most 256");
            assertThat(Ip.num(tunData(ns, "mq1").get("numqueues"))).isZero();
        }
    }

    @Test
    void aVnetHeaderTapPassesTheHeaderBothWaysAndKeepsIt() throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap = createOrSkip(rtnl, LinkSpec.tap("vh0").vnetHeader().up());
            assertThat(tunData(ns, "vh0")).containsEntry("vnet_hdr", true).containsEntry("multi_queue", false);
            rtnl.addAddress(tap, "10.8.0.1/24");
            try (TapDevice dev = rtnl.openTap(tap)) {
                assertThat(dev.vnetHeaderSize()).isEqualTo(10);
                assertThat(dev.attachedFlags() & NetlinkNatives.IFF_VNET_HDR).isNotZero();
                assertThat(tunData(ns, "vh0")).as("opening kept the option").containsEntry("vnet_hdr", true);
                rtnl.waitUntilUp(tap, Duration.ofSeconds(10));
                Netns.execute(ns, () -> {
                    try (DatagramSocket s = new DatagramSocket()) {
                        byte[] data = {1};
                        s.send(new DatagramPacket(data, 1, InetAddress.getByAddress(new byte[] {10, 8, 0, 2}), 9));
                    }
                });
                int h = dev.vnetHeaderSize();
                byte[] arp = null;
                for (int i = 0; i < 50 && arp == null; i++) {
                    byte[] f = dev.readFrame(Duration.ofMillis(200));
                    if (f != null && f.length >= h + 42 && f[h + 12] == 0x08 && f[h + 13] == 0x06) {
                        arp = f;
                    }
                }
                assertThat(arp).as("an ARP request behind a virtio-net header").isNotNull();
                assertThat(Arrays.copyOfRange(arp, h + 38, h + 42)).containsExactly(10, 8, 0, 2);

                long before = rxPackets(ns, "vh0");
                byte[] withHeader = new byte[h + 60];
                System.arraycopy(frame(1), 0, withHeader, h, 60);
                dev.write(withHeader);
                assertThat(rxPackets(ns, "vh0")).isEqualTo(before + 1);
            }
            assertThat(tunData(ns, "vh0")).containsEntry("vnet_hdr", true);
        }
    }

    @Test
    void aPlainTapHasNeitherOption() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link tap = createOrSkip(rtnl, LinkSpec.tap("pt0"));
            try (TapDevice dev = rtnl.openTap(tap)) {
                assertThat(dev.vnetHeaderSize()).isZero();
                assertThat(rtnl.tapInfo(tap)).isEqualTo(new TapInfo(true, false, false, false, true, -1, -1));
            }
            assertThat(tunData(ns, "pt0")).containsEntry("vnet_hdr", false).containsEntry("multi_queue", false);
            assertThatThrownBy(() -> LinkSpec.bridge("b0").multiQueue())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("multiQueue is not applicable to a bridge link");
            assertThatThrownBy(() -> LinkSpec.veth("v0").vnetHeader())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("vnetHeader is not applicable to a veth link");
            assertThatThrownBy(() -> rtnl.tapInfo(rtnl.link("lo")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("no tun data");
        }
    }
}
