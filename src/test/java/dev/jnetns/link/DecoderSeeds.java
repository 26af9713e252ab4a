package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the seed corpus of {@link DecoderFuzzTest} from this kernel: real dumps of links (veth, bridge, vxlan),
 * addresses, routes and qdiscs, and real refusals with extended acks. Run it after adding a decoder or a kind:
 * {@code mvn test -Dtest=DecoderSeeds -Djnetns.recordSeeds=true}, then commit the new files.
 */
@EnabledIfSystemProperty(named = "jnetns.recordSeeds", matches = "true")
class DecoderSeeds {
    private static final Path INPUTS = Path.of("src/test/resources/dev/jnetns/link/DecoderFuzzTestInputs");

    @Test
    void record() throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        List<byte[]> errors = new ArrayList<>();
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link br = rtnl.create(LinkSpec.bridge("sbr0").up());
            VethPair pair = rtnl.createVeth(LinkSpec.veth("sv0").peer("sv1").up());
            rtnl.setMaster(pair.peer(), br);
            rtnl.setAlias(pair.local(), "an alias of odd length");
            rtnl.create(LinkSpec.vxlan("svx0", 7).remote("10.4.0.2").port(4789));
            rtnl.create(LinkSpec.macvlan("smv0", pair.local()));
            rtnl.addAddress(pair.local(), "10.4.0.1/24");
            rtnl.addAddress(pair.local(), "fd00:4::1/64", AddressOption.NO_DAD);
            rtnl.addRoute(Route.to("10.44.0.0/16").via("10.4.0.2"));
            // route types, src, metrics (a nested RTA_METRICS), a table above 255
            rtnl.addRoute(Route.blackhole("10.45.0.0/16"));
            rtnl.addRoute(Route.unreachable("10.46.0.0/16"));
            rtnl.addRoute(Route.prohibit("fd00:47::/64"));
            rtnl.addRoute(Route.to("10.48.0.0/16")
                    .via("10.4.0.2")
                    .src("10.4.0.1")
                    .mtu(1400)
                    .advmss(1360)
                    .hopLimit(33)
                    .table(1000)
                    .protocol(Route.RTPROT_STATIC));
            rtnl.addRoute(Route.to("fd00:48::/64").via("fd00:4::2").mtu(1280).table(100));
            rtnl.addQdisc(pair.local(), QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(100)));
            rtnl.addQdisc(br, QdiscSpec.htb(0x10));
            try (NetlinkSocket s = Netns.execute(ns, () -> NetlinkSocket.open("seeds"))) {
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0), "links"));
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETADDR, 0).ifaddrmsg(0, 0, 0, 0, 0), "addrs"));
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETROUTE, 0).rtmsg(0, 0, 0, 0, 0, 0, 0), "routes"));
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETQDISC, 0).tcmsg(0, 0, 0, 0), "qdiscs"));
            }
            // routeGet replies: a gateway route with metrics, a local address, IPv6
            for (String dst : List.of("10.48.1.1", "10.44.1.1", "10.4.0.1", "fd00:4::9")) {
                datagrams.add(Netns.execute(ns, () -> refusal(RouteMessages.get(IpPrefix.parseAddress(dst)))));
            }
            // refusals, as the kernel words them: an MTU too large for a veth, a kind it lacks
            int index = pair.local().index();
            errors.add(Netns.execute(
                    ns,
                    () -> refusal(new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_ACK)
                            .ifinfomsg(0, index, 0, 0)
                            .u32(Nl.IFLA_MTU, 70000))));
            errors.add(Netns.execute(ns, () -> {
                NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
                        .ifinfomsg(0, 0, 0, 0);
                int info = m.beginNested(Nl.IFLA_LINKINFO);
                m.string(Nl.IFLA_INFO_KIND, "no-such-kind");
                m.endNested(info);
                return refusal(m);
            }));
        }
        for (byte[] d : datagrams) {
            write("datagrams", d);
            for (NlMessage m : NlMessage.parseAll(d, d.length)) {
                byte[] payload = m.payload();
                switch (m.type()) {
                    case Nl.RTM_NEWLINK -> seedWithAttributes("links", payload, Nl.IFINFOMSG_LEN);
                    case Nl.RTM_NEWADDR -> seedWithAttributes("addresses", payload, Nl.IFADDRMSG_LEN);
                    case Nl.RTM_NEWROUTE -> seedWithAttributes("routes", payload, Nl.RTMSG_LEN);
                    case Nl.RTM_NEWQDISC -> seedWithAttributes("qdiscs", payload, Nl.TCMSG_LEN);
                    default -> {}
                }
            }
        }
        for (byte[] e : errors) {
            write("datagrams", e);
            NlMessage m = NlMessage.parseAll(e, e.length).get(0);
            assertThat(m.extAckMessage()).as("the kernel explained its refusal").isNotBlank();
            byte[] input = new byte[2 + m.payloadLength()];
            input[0] = (byte) m.flags();
            input[1] = (byte) (m.flags() >> 8);
            System.arraycopy(m.payload(), 0, input, 2, m.payloadLength());
            write("errors", input);
        }
    }

    /**
     * Namespace ids (a list-id dump with ids set, and one id asked for) and tun data (a multi-queue tap with a
     * virtio-net header and two queues open, a plain tap with one).
     */
    @Test
    void recordIdsAndTaps() throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        try (NsFd ns = Netns.newTransient();
                NsFd other = Netns.newTransient();
                NsFd third = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.setNetnsId(other, 5);
            rtnl.ensureNetnsId(third);
            rtnl.createVeth(LinkSpec.veth("sid0").peer("sid1").peerNetns(other));
            Link mq = rtnl.create(LinkSpec.tap("smq0").multiQueue().vnetHeader().up());
            Link plain = rtnl.create(LinkSpec.tap("stap0"));
            List<TapDevice> queues = rtnl.openTapQueues(mq, 2);
            try (TapDevice one = rtnl.openTap(plain);
                    NetlinkSocket s = Netns.execute(ns, () -> NetlinkSocket.open("seeds"))) {
                datagrams.addAll(s.dumpRaw(NetnsIdMessages.dump(), "nsids"));
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0), "links"));
                assertThat(one.isOpen()).isTrue();
            } finally {
                queues.forEach(TapDevice::close);
            }
            // one id asked for, as RTM_GETNSID answers it (not a dump)
            int otherFd = other.fd();
            datagrams.add(Netns.execute(ns, () -> refusal(NetnsIdMessages.get(otherFd))));
        }
        int nsids = 0;
        int taps = 0;
        for (byte[] d : datagrams) {
            write("datagrams", d);
            for (NlMessage m : NlMessage.parseAll(d, d.length)) {
                if (m.type() == Nl.RTM_NEWNSID) {
                    seedWithAttributes("nsids", m.payload(), Nl.RTGENMSG_LEN);
                    nsids++;
                } else if (m.type() == Nl.RTM_NEWLINK && TapInfo.decode(m) != null) {
                    seedWithAttributes("taps", m.payload(), Nl.IFINFOMSG_LEN);
                    taps++;
                }
            }
        }
        assertThat(nsids).as("two ids listed, one asked for").isEqualTo(3);
        assertThat(taps).isEqualTo(2);
    }

    /** Sends one request with a bare socket and returns the kernel's raw answer (an NLMSG_ERROR). */
    private static byte[] refusal(NlBuilder request) {
        int fd = NetlinkSocket.openFd();
        try {
            byte[] out = request.build(1);
            LibC.send(fd, out, out.length, 0);
            byte[] in = new byte[65536];
            int n = (int) LibC.recv(fd, in, in.length, 0);
            return Arrays.copyOf(in, n);
        } finally {
            NsFiles.close(fd);
        }
    }

    /** Neighbours (v4 and v6, permanent and the kernel's own) and addresses with peers, labels and lifetimes. */
    @Test
    void recordNeighboursAndAddresses() throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("snb0").peer("snb1").up()).local();
            rtnl.addNeighbour(link, "10.5.0.7", "02:00:00:00:00:07");
            rtnl.addNeighbour(link, "fd00:5::7", "02:00:00:00:00:08");
            rtnl.addAddress(link, AddressSpec.of("10.5.0.1/32").peer("10.5.0.2").label("snb0:p2p"));
            rtnl.addAddress(
                    link,
                    AddressSpec.of("fd00:6::1/64")
                            .validFor(Duration.ofSeconds(600))
                            .preferredFor(Duration.ofSeconds(60))
                            .options(AddressOption.NO_DAD, AddressOption.NO_PREFIX_ROUTE));
            try (NetlinkSocket s = Netns.execute(ns, () -> NetlinkSocket.open("seeds"))) {
                datagrams.addAll(s.dumpRaw(NeighbourMessages.dump(), "neighbours"));
                datagrams.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETADDR, 0).ifaddrmsg(0, 0, 0, 0, 0), "addrs"));
            }
        }
        int neighbours = 0;
        int addresses = 0;
        for (byte[] d : datagrams) {
            write("datagrams", d);
            for (NlMessage m : NlMessage.parseAll(d, d.length)) {
                if (m.type() == Nl.RTM_NEWNEIGH) {
                    seedWithAttributes("neighbours", m.payload(), Nl.NDMSG_LEN);
                    neighbours++;
                } else if (m.type() == Nl.RTM_NEWADDR) {
                    seedWithAttributes("addresses", m.payload(), Nl.IFADDRMSG_LEN);
                    addresses++;
                }
            }
        }
        assertThat(neighbours).isGreaterThanOrEqualTo(2);
        assertThat(addresses).isGreaterThanOrEqualTo(3);
    }

    private static void seedWithAttributes(String target, byte[] payload, int familyHeader) throws Exception {
        write(target, payload);
        int start = Nl.align(familyHeader);
        if (payload.length > start) {
            write("attributes", Arrays.copyOfRange(payload, start, payload.length));
        }
    }

    /** One corpus file, named by its content so that recording twice adds nothing. */
    private static void write(String target, byte[] input) throws Exception {
        Path dir = Files.createDirectories(INPUTS.resolve(target));
        String name = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(input))
                .substring(0, 16);
        Files.write(dir.resolve("seed-" + name), input);
    }
}
