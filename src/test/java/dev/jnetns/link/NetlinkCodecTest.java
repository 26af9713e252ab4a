package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.testing.NoFdLeaks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codec: the builder's layout, and the parser on real kernel replies (captured here), on every prefix of them,
 * on every truncation of each message, on random corruption and on hand-made malformed input. The parser must
 * either succeed (only where the input really is well-formed) or throw {@link NetlinkFormatException}: never an
 * out-of-bounds exception, never an endless loop.
 */
@ExtendWith(NoFdLeaks.class)
class NetlinkCodecTest {
    /** Real dumps: RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETQDISC datagrams, by type. */
    private static final List<byte[]> LINKS = new ArrayList<>();

    private static final List<byte[]> ADDRS = new ArrayList<>();
    private static final List<byte[]> ROUTES = new ArrayList<>();
    private static final List<byte[]> QDISCS = new ArrayList<>();
    private static List<Link> linksSeenByRtnl;

    @BeforeAll
    static void captureRealReplies() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link br = rtnl.create(LinkSpec.bridge("cbr0").up());
            VethPair pair = rtnl.createVeth(LinkSpec.veth("cv0").peer("cv1").up());
            rtnl.setMaster(pair.peer(), br);
            rtnl.setAlias(pair.local(), "an alias of odd length");
            rtnl.create(LinkSpec.vxlan("cvx0", 7).remote("10.4.0.2").port(4789));
            rtnl.addAddress(pair.local(), "10.4.0.1/24");
            rtnl.addAddress(pair.local(), "fd00:4::1/64", AddressOption.NO_DAD);
            rtnl.addRoute(Route.to("10.44.0.0/16").via("10.4.0.2"));
            rtnl.addQdisc(pair.local(), QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(100)));
            linksSeenByRtnl = rtnl.links();
            try (NetlinkSocket s = Netns.execute(ns, () -> NetlinkSocket.open("codec test"))) {
                LINKS.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0), "links"));
                ADDRS.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETADDR, 0).ifaddrmsg(0, 0, 0, 0, 0), "addrs"));
                ROUTES.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETROUTE, 0).rtmsg(0, 0, 0, 0, 0, 0, 0), "routes"));
                QDISCS.addAll(s.dumpRaw(new NlBuilder(Nl.RTM_GETQDISC, 0).tcmsg(0, 0, 0, 0), "qdiscs"));
            }
        }
    }

    private static List<byte[]> all() {
        List<byte[]> out = new ArrayList<>();
        out.addAll(LINKS);
        out.addAll(ADDRS);
        out.addAll(ROUTES);
        out.addAll(QDISCS);
        return out;
    }

    /** Decodes one message with the decoder for its type (and NLMSG_DONE / NLMSG_ERROR with theirs). */
    private static void decode(NlMessage m) {
        switch (m.type()) {
            case Nl.RTM_NEWLINK -> Link.decode(m, 1);
            case Nl.RTM_NEWADDR -> AddressMessages.decode(m);
            case Nl.RTM_NEWROUTE -> RouteMessages.decode(m);
            case Nl.RTM_NEWQDISC -> QdiscMessages.decode(m);
            case Nl.NLMSG_DONE, Nl.NLMSG_ERROR -> {
                m.errorCode();
                m.extAckMessage();
            }
            default -> fail("unexpected message type " + m.type());
        }
    }

    private static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(off);
    }

    /** Where the messages of a well-formed datagram end (0 included). */
    private static Set<Integer> messageBoundaries(byte[] d) {
        Set<Integer> out = new TreeSet<>();
        out.add(0);
        int off = 0;
        while (off < d.length) {
            off = Math.min(d.length, off + Nl.align(u32(d, off)));
            out.add(off);
        }
        return out;
    }

    private static int familyHeaderSize(int type) {
        return switch (type) {
            case Nl.RTM_NEWLINK -> Nl.IFINFOMSG_LEN;
            case Nl.RTM_NEWADDR -> Nl.IFADDRMSG_LEN;
            case Nl.RTM_NEWROUTE -> Nl.RTMSG_LEN;
            case Nl.RTM_NEWQDISC -> Nl.TCMSG_LEN;
            default -> -1;
        };
    }

    @Test
    void realRepliesDecodeAndMatchTheHandle() {
        assertThat(LINKS).isNotEmpty();
        List<Link> decoded = new ArrayList<>();
        for (byte[] d : LINKS) {
            for (NlMessage m : NlMessage.parseAll(d, d.length)) {
                if (m.type() == Nl.RTM_NEWLINK) {
                    decoded.add(Link.decode(m, linksSeenByRtnl.get(0).netnsIno()));
                }
            }
        }
        assertThat(decoded)
                .extracting(Link::name)
                .containsExactlyElementsOf(
                        linksSeenByRtnl.stream().map(Link::name).toList());
        assertThat(decoded).extracting(Link::name).contains("lo", "cbr0", "cv0", "cv1", "cvx0");
        int messages = 0;
        for (byte[] d : all()) {
            for (NlMessage m : NlMessage.parseAll(d, d.length)) {
                decode(m);
                messages++;
            }
        }
        assertThat(messages).isGreaterThan(10);
    }

    @Test
    void everyPrefixOfEveryRealDatagramIsRejectedUnlessItEndsOnAMessage() {
        int rejected = 0;
        for (byte[] d : all()) {
            Set<Integer> boundaries = messageBoundaries(d);
            for (int k = 0; k < d.length; k++) {
                byte[] prefix = Arrays.copyOf(d, k);
                List<NlMessage> parsed;
                try {
                    parsed = NlMessage.parseAll(prefix, k);
                } catch (NetlinkFormatException e) {
                    assertThat(boundaries)
                            .as("prefix %d of %d rejected: %s", k, d.length, e.getMessage())
                            .doesNotContain(k);
                    assertThat(e.getMessage()).startsWith("netlink parse ").contains("malformed");
                    rejected++;
                    continue;
                }
                assertThat(boundaries)
                        .as("prefix %d of %d accepted", k, d.length)
                        .contains(k);
                for (NlMessage m : parsed) {
                    decode(m); // whole messages: must decode
                }
            }
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void everyTruncationOfEveryRealMessageIsRejectedUnlessItEndsOnAnAttribute() {
        int checked = 0;
        for (byte[] d : all()) {
            int off = 0;
            while (off < d.length) {
                int len = u32(d, off);
                byte[] msg = Arrays.copyOfRange(d, off, off + len);
                off = Math.min(d.length, off + Nl.align(len));
                int type = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getShort(4) & 0xffff;
                int header = familyHeaderSize(type);
                if (header < 0) {
                    continue;
                }
                // where a cut leaves a well-formed message: after the family header or after a top-level attribute
                Set<Integer> valid = new TreeSet<>();
                int attrs = Nl.NLMSG_HDRLEN + Nl.align(header);
                valid.add(attrs);
                int a = attrs;
                while (a < len) {
                    int alen =
                            ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getShort(a) & 0xffff;
                    for (int end = a + alen; end <= Math.min(len, a + Nl.align(alen)); end++) {
                        valid.add(end);
                    }
                    a += Nl.align(alen);
                }
                for (int k = Nl.NLMSG_HDRLEN; k < len; k++) {
                    byte[] cut = Arrays.copyOf(msg, k);
                    ByteBuffer.wrap(cut).order(ByteOrder.nativeOrder()).putInt(0, k); // consistent nlmsg_len
                    List<NlMessage> parsed = NlMessage.parseAll(cut, k);
                    assertThat(parsed).hasSize(1);
                    try {
                        decode(parsed.get(0));
                        assertThat(valid)
                                .as("%s cut at %d of %d decoded", parsed.get(0), k, len)
                                .contains(k);
                    } catch (NetlinkFormatException e) {
                        if (valid.contains(k)) {
                            // well-formed but without an attribute the decoder needs (e.g. an address's IFA_LOCAL)
                            assertThat(e.getMessage())
                                    .as("%s cut at %d of %d", parsed.get(0), k, len)
                                    .endsWith("malformed: missing");
                        }
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void randomCorruptionIsRejectedCleanlyAndTerminates() {
        List<byte[]> corpus = all();
        Random random = new Random(20261123);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int rejected = 0;
            for (int i = 0; i < 20_000; i++) {
                byte[] d = corpus.get(random.nextInt(corpus.size())).clone();
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    int pos = random.nextInt(d.length);
                    switch (random.nextInt(3)) {
                        case 0 -> d[pos] = (byte) random.nextInt(256);
                        case 1 -> {
                            // a small length where a length may sit
                            d[pos] = (byte) random.nextInt(5);
                            if (pos + 1 < d.length) {
                                d[pos + 1] = 0;
                            }
                        }
                        default -> d[pos] = (byte) 0xff;
                    }
                }
                int length = random.nextInt(4) == 0 ? random.nextInt(d.length + 1) : d.length;
                try {
                    for (NlMessage m : NlMessage.parseAll(d, length)) {
                        if (familyHeaderSize(m.type()) > 0) {
                            decode(m);
                        }
                    }
                } catch (NetlinkFormatException expected) {
                    rejected++;
                }
            }
            assertThat(rejected).isGreaterThan(1000);
        });
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] header(int len, int type) {
        return ByteBuffer.allocate(16)
                .order(ByteOrder.nativeOrder())
                .putInt(len)
                .putShort((short) type)
                .putShort((short) 0)
                .putInt(1)
                .putInt(0)
                .array();
    }

    @Test
    void handMadeMalformedMessagesAreRejected() {
        assertThatThrownBy(() -> NlMessage.parseAll(header(0, 16), 16))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("nlmsg_len 0 < header size 16");
        assertThatThrownBy(() -> NlMessage.parseAll(header(15, 16), 16))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("nlmsg_len 15");
        assertThatThrownBy(() -> NlMessage.parseAll(header(64, 16), 16))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("past the end");
        assertThatThrownBy(() -> NlMessage.parseAll(header(-1, 16), 16))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("past the end");
        assertThatThrownBy(() -> NlMessage.parseAll(new byte[10], 10))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("a header needs 16");
        assertThatThrownBy(() -> NlMessage.parseAll(new byte[10], 11))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("outside buffer");
        assertThat(NlMessage.parseAll(new byte[0], 0)).isEmpty();

        // a message too short for its family header
        byte[] shortLink = Arrays.copyOf(header(20, Nl.RTM_NEWLINK), 20);
        NlMessage m = NlMessage.parseAll(shortLink, 20).get(0);
        assertThatThrownBy(() -> Link.decode(m, 1))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("ifinfomsg");

        // attributes: zero length (the endless-loop trap), too short, past the end, stray bytes
        assertThatThrownBy(() -> NlAttrs.parse(bytes(0, 0, 1, 0), 0, 4, "t"))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("nla_len 0 < 4");
        assertThatThrownBy(() -> NlAttrs.parse(bytes(3, 0, 1, 0), 0, 4, "t"))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("nla_len 3 < 4");
        assertThatThrownBy(() -> NlAttrs.parse(bytes(12, 0, 1, 0, 0, 0, 0, 0), 0, 8, "t"))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("runs past its parent");
        assertThatThrownBy(() -> NlAttrs.parse(bytes(4, 0, 1, 0, 9, 9), 0, 6, "t"))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("2 stray bytes");
        assertThatThrownBy(() -> NlAttrs.parse(new byte[4], 2, 4, "t"))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("outside buffer");

        // a nested attribute whose child runs past the parent (but not past the buffer)
        byte[] nested = bytes(8, 0, 18, 0x80, /* child */ 12, 0, 1, 0, /* after */ 0, 0, 0, 0, 0, 0, 0, 0);
        NlAttrs outer = NlAttrs.parse(nested, 0, 8, "t");
        assertThat(outer.has(18)).isTrue();
        assertThatThrownBy(() -> outer.nested(18))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("runs past its parent");

        // accessors check sizes
        NlAttrs two = NlAttrs.parse(bytes(6, 0, 4, 0, 1, 2, 0, 0), 0, 8, "t");
        assertThatThrownBy(() -> two.u32(4))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("2 bytes of payload, needs 4");
        assertThat(two.u16(4))
                .isEqualTo(ByteBuffer.wrap(bytes(1, 2))
                                .order(ByteOrder.nativeOrder())
                                .getShort()
                        & 0xffff);
        assertThatThrownBy(() -> two.u8(5))
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void extendedAckTextIsFoundAndInconsistentErrorsRejected() {
        // NLMSG_ERROR, capped, with NLMSGERR_ATTR_MSG "Unknown device type"
        byte[] text = "Unknown device type\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b =
                ByteBuffer.allocate(16 + 4 + 16 + 4 + Nl.align(text.length)).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity())
                .putShort((short) Nl.NLMSG_ERROR)
                .putShort((short) (Nl.NLM_F_CAPPED | Nl.NLM_F_ACK_TLVS))
                .putInt(7)
                .putInt(0);
        b.putInt(-95);
        b.put(header(64, Nl.RTM_NEWLINK)); // the original header; its payload is left out (capped)
        b.putShort((short) (4 + text.length))
                .putShort((short) Nl.NLMSGERR_ATTR_MSG)
                .put(text);
        byte[] msg = b.array();
        NlMessage m = NlMessage.parseAll(msg, msg.length).get(0);
        assertThat(m.errorCode()).isEqualTo(-95);
        assertThat(m.extAckMessage()).isEqualTo("Unknown device type");

        // not capped: then the original message's claimed 64 bytes would have to be there
        ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).putShort(6, (short) Nl.NLM_F_ACK_TLVS);
        NlMessage uncapped = NlMessage.parseAll(msg, msg.length).get(0);
        assertThatThrownBy(uncapped::extAckMessage)
                .isInstanceOf(NetlinkFormatException.class)
                .hasMessageContaining("original message length 64");
    }

    @Test
    void theBuilderAlignsNestsAndUsesTheRightByteOrder() {
        NlBuilder b = new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE).ifinfomsg(0, 5, 1, 1);
        b.string(Nl.IFLA_IFNAME, "abcd"); // 5 bytes with NUL: nla_len 9, padded to 12
        int li = b.beginNested(Nl.IFLA_LINKINFO);
        b.string(Nl.IFLA_INFO_KIND, "vxlan");
        int data = b.beginNested(Nl.IFLA_INFO_DATA);
        b.be16(Nl.IFLA_VXLAN_PORT, 4789);
        b.u32(Nl.IFLA_VXLAN_ID, 42);
        b.endNested(data);
        b.endNested(li);
        b.u8(Nl.IFLA_OPERSTATE, 6);
        byte[] msg = b.build(77);
        assertThat(msg.length % 4).isZero();
        ByteBuffer v = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder());
        assertThat(v.getInt(0)).isEqualTo(msg.length);
        assertThat(v.getShort(6) & 0xffff).isEqualTo(Nl.NLM_F_CREATE | Nl.NLM_F_REQUEST);
        assertThat(v.getInt(8)).isEqualTo(77);
        assertThat(v.getShort(32) & 0xffff).isEqualTo(9); // IFLA_IFNAME nla_len
        assertThat(msg[32 + 8]).isEqualTo((byte) 0); // NUL
        assertThat(v.getShort(44 + 2) & 0xffff).isEqualTo(Nl.IFLA_LINKINFO | Nl.NLA_F_NESTED);

        NlMessage m = NlMessage.parseAll(msg, msg.length).get(0);
        NlAttrs attrs = m.attributes(Nl.IFINFOMSG_LEN);
        assertThat(attrs.types()).containsExactly(Nl.IFLA_IFNAME, Nl.IFLA_LINKINFO, Nl.IFLA_OPERSTATE);
        assertThat(attrs.string(Nl.IFLA_IFNAME)).isEqualTo("abcd");
        assertThat(attrs.u8(Nl.IFLA_OPERSTATE)).isEqualTo(6);
        NlAttrs info = attrs.nested(Nl.IFLA_LINKINFO);
        assertThat(info.string(Nl.IFLA_INFO_KIND)).isEqualTo("vxlan");
        NlAttrs vx = info.nested(Nl.IFLA_INFO_DATA);
        assertThat(vx.bytes(Nl.IFLA_VXLAN_PORT)).containsExactly(0x12, 0xb5); // 4789 big-endian
        assertThat(vx.be16(Nl.IFLA_VXLAN_PORT)).isEqualTo(4789);
        assertThat(vx.u32(Nl.IFLA_VXLAN_ID)).isEqualTo(42);
        assertThat(m.familyHeader(Nl.IFINFOMSG_LEN, "ifinfomsg").getInt(4)).isEqualTo(5);
    }

    @Test
    void anAttributeTooLongForNlaLenIsRefusedNamingIt() {
        // nla_len is 16 bits: header (4) and payload together at most 65535 bytes
        byte[] msg = new NlBuilder(Nl.RTM_SETLINK, 0)
                .ifinfomsg(0, 1, 0, 0)
                .attr(Nl.IFLA_IFALIAS, new byte[65531])
                .build(1);
        NlAttrs attrs = NlMessage.parseAll(msg, msg.length).get(0).attributes(Nl.IFINFOMSG_LEN);
        assertThat(attrs.bytes(Nl.IFLA_IFALIAS)).hasSize(65531);

        assertThatThrownBy(() -> new NlBuilder(Nl.RTM_SETLINK, 0).attr(Nl.IFLA_IFALIAS, new byte[65532]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute type " + Nl.IFLA_IFALIAS + ": a payload of 65532 bytes does not fit in nla_len"
                        + " (16 bits: at most 65531 bytes)");
        assertThatThrownBy(() -> new NlBuilder(Nl.RTM_SETLINK, 0).string(Nl.IFLA_IFNAME, "x".repeat(65531)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute type " + Nl.IFLA_IFNAME + ": a payload of 65532 bytes");
        assertThatThrownBy(() -> new NlBuilder(Nl.RTM_SETLINK, 0).attr(Nl.IFLA_IFALIAS, new byte[70000]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void anAddressOfAFamilyOtherThanIpIsSkippedAndTheRestOfTheDumpKept() {
        // an MCTP address (AF_MCTP 45, a one-byte endpoint id) as a kernel with MCTP links lists it in RTM_GETADDR
        byte[] mctp = new NlBuilder(Nl.RTM_NEWADDR, 0)
                .ifaddrmsg(45, 0, 0, 0, 1)
                .attr(Nl.IFA_LOCAL, new byte[] {8})
                .attr(Nl.IFA_ADDRESS, new byte[] {8})
                .build(1);
        NlMessage odd = NlMessage.parseAll(mctp, mctp.length).get(0);
        assertThat(AddressMessages.decode(odd)).isNull();

        List<NlMessage> real = new ArrayList<>();
        for (byte[] d : ADDRS) {
            real.addAll(NlMessage.parseAll(d, d.length));
        }
        List<Address> alone = Rtnl.decodeAll(real, Nl.RTM_NEWADDR, AddressMessages::decode);
        assertThat(alone).extracting(a -> a.prefix().toString()).contains("10.4.0.1/24", "fd00:4::1/64");
        List<NlMessage> mixed = new ArrayList<>(real);
        mixed.add(0, odd);
        mixed.add(mixed.size() / 2, odd);
        mixed.add(mixed.size() - 1, odd); // before NLMSG_DONE
        List<Address> kept = Rtnl.decodeAll(mixed, Nl.RTM_NEWADDR, AddressMessages::decode);
        assertThat(kept)
                .doesNotContainNull()
                .map(Address::toString)
                .containsExactlyElementsOf(alone.stream().map(Address::toString).toList());
    }
}
