package dev.jnetns.link;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Fuzz targets for every decoder of bytes the kernel sends. Each must either decode or throw
 * {@link NetlinkFormatException}: any other exception, an endless loop or an out-of-memory is a finding.
 *
 * <p>{@code mvn verify} replays the corpus in {@code src/test/resources/dev/jnetns/link/DecoderFuzzTestInputs}
 * (seeded with real dumps of this kernel by {@link DecoderSeeds}, plus every finding); {@code .ci/fuzz} fuzzes.
 */
class DecoderFuzzTest {
    /** A whole datagram, as {@code recv} returns it: messages of any type, each decoded by its type's decoder. */
    @FuzzTest(maxDuration = "30s")
    void datagrams(byte[] data) {
        rejectOnlyAsMalformed(() -> {
            for (NlMessage m : NlMessage.parseAll(data, data.length)) {
                decodeByType(m);
            }
        });
    }

    /** An attribute list, walked and read in every width, nested lists included. */
    @FuzzTest(maxDuration = "30s")
    void attributes(byte[] data) {
        rejectOnlyAsMalformed(() -> readAll(NlAttrs.parse(data, 0, data.length, "fuzz"), 0));
    }

    /** A link message, decoded as a {@link Link} and, on its own, for its {@link LinkStats}. */
    @FuzzTest(maxDuration = "30s")
    void links(byte[] payload) {
        decodeAs(Nl.RTM_NEWLINK, payload, m -> Link.decode(m, 1));
        decodeAs(Nl.RTM_NEWLINK, payload, LinkStats::decode);
    }

    @FuzzTest(maxDuration = "30s")
    void addresses(byte[] payload) {
        decodeAs(Nl.RTM_NEWADDR, payload, AddressMessages::decode);
    }

    @FuzzTest(maxDuration = "30s")
    void routes(byte[] payload) {
        decodeAs(Nl.RTM_NEWROUTE, payload, RouteMessages::decode);
    }

    @FuzzTest(maxDuration = "30s")
    void qdiscs(byte[] payload) {
        decodeAs(Nl.RTM_NEWQDISC, payload, QdiscMessages::decode);
    }

    /** An {@code RTM_NEWNEIGH}: a neighbour entry (ARP, NDP). */
    @FuzzTest(maxDuration = "30s")
    void neighbours(byte[] payload) {
        decodeAs(Nl.RTM_NEWNEIGH, payload, NeighbourMessages::decode);
    }

    /** An {@code RTM_NEWNSID}: a namespace id, listed or asked for. */
    @FuzzTest(maxDuration = "30s")
    void nsids(byte[] payload) {
        decodeAs(Nl.RTM_NEWNSID, payload, NetnsIdMessages::decode);
    }

    /** An {@code RTM_NEWLINK} read for its tun data. */
    @FuzzTest(maxDuration = "30s")
    void taps(byte[] payload) {
        decodeAs(Nl.RTM_NEWLINK, payload, TapInfo::decode);
    }

    /** An error or acknowledgement with extended-ack attributes (the flags come first in the input). */
    @FuzzTest(maxDuration = "30s")
    void errors(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int flags = (input[0] & 0xff) | (input[1] & 0xff) << 8;
        byte[] payload = java.util.Arrays.copyOfRange(input, 2, input.length);
        rejectOnlyAsMalformed(() -> {
            NlMessage m = single(Nl.NLMSG_ERROR, flags, payload);
            m.errorCode();
            m.extAckMessage();
        });
    }

    static void decodeByType(NlMessage m) {
        switch (m.type()) {
            case Nl.RTM_NEWLINK -> {
                Link.decode(m, 1);
                LinkStats.decode(m);
            }
            case Nl.RTM_NEWADDR -> AddressMessages.decode(m);
            case Nl.RTM_NEWROUTE -> RouteMessages.decode(m);
            case Nl.RTM_NEWQDISC -> QdiscMessages.decode(m);
            case Nl.RTM_NEWNSID -> NetnsIdMessages.decode(m);
            case Nl.RTM_NEWNEIGH -> NeighbourMessages.decode(m);
            case Nl.NLMSG_ERROR, Nl.NLMSG_DONE -> {
                m.errorCode();
                m.extAckMessage();
            }
            default -> m.payload();
        }
    }

    private static void decodeAs(int type, byte[] payload, Consumer<NlMessage> decoder) {
        rejectOnlyAsMalformed(() -> decoder.accept(single(type, 0, payload)));
    }

    /** The payload behind a netlink header of {@code type}, parsed as the socket's reader parses it. */
    private static NlMessage single(int type, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(Nl.NLMSG_HDRLEN + payload.length).order(ByteOrder.nativeOrder());
        b.putInt(Nl.NLMSG_HDRLEN + payload.length).putShort((short) type).putShort((short) flags);
        b.putInt(1).putInt(0).put(payload);
        byte[] message = b.array();
        return NlMessage.parseAll(message, message.length).get(0);
    }

    private static void readAll(NlAttrs attrs, int depth) {
        for (int type : attrs.types()) {
            attrs.bytes(type);
            attrs.string(type);
            tryWidth(() -> attrs.u8(type));
            tryWidth(() -> attrs.u16(type));
            tryWidth(() -> attrs.u32(type));
            tryWidth(() -> attrs.u64(type));
            if (depth < 4) {
                try {
                    readAll(attrs.nested(type), depth + 1);
                } catch (NetlinkFormatException notAList) {
                    // most attributes are not nested lists
                }
            }
        }
    }

    /** An attribute too short for a width is refused as malformed, like any other. */
    private static void tryWidth(Runnable read) {
        try {
            read.run();
        } catch (NetlinkFormatException tooShort) {
            // expected for the wrong width
        }
    }

    private static void rejectOnlyAsMalformed(Runnable decode) {
        try {
            decode.run();
        } catch (NetlinkFormatException malformed) {
            // the one way to refuse
        }
    }
}
