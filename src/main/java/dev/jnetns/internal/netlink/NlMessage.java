package dev.jnetns.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One parsed netlink message: its header fields and a bounds-checked view of its payload. Instances come from
 * {@link #parseAll(byte[], int)}, which rejects truncated or malformed datagrams.
 */
public final class NlMessage {
    private final int type;
    private final int flags;
    private final int seq;
    private final int pid;
    private final byte[] buf;
    private final int payloadOffset;
    private final int payloadLength;

    private NlMessage(int type, int flags, int seq, int pid, byte[] buf, int payloadOffset, int payloadLength) {
        this.type = type;
        this.flags = flags;
        this.seq = seq;
        this.pid = pid;
        this.buf = buf;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
    }

    /**
     * Splits a received datagram into messages. Every message must have {@code 16 <= nlmsg_len <= remaining};
     * trailing bytes too short for a header are rejected too.
     *
     * @param buf the bytes
     * @param length how many of them are valid
     * @return the messages, in order
     * @throws NetlinkFormatException on any inconsistency
     */
    public static List<NlMessage> parseAll(byte[] buf, int length) {
        if (length < 0 || length > buf.length) {
            throw new NetlinkFormatException("datagram", "length " + length + " outside buffer of " + buf.length);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length).order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        int off = 0;
        while (off < length) {
            int remaining = length - off;
            if (remaining < Nl.NLMSG_HDRLEN) {
                throw new NetlinkFormatException(
                        "nlmsghdr at " + off, "only " + remaining + " bytes left, a header needs " + Nl.NLMSG_HDRLEN);
            }
            long len = Integer.toUnsignedLong(b.getInt(off));
            if (len < Nl.NLMSG_HDRLEN) {
                throw new NetlinkFormatException("nlmsghdr at " + off, "nlmsg_len " + len + " < header size 16");
            }
            if (len > remaining) {
                throw new NetlinkFormatException(
                        "nlmsghdr at " + off, "nlmsg_len " + len + " past the end (" + remaining + " bytes left)");
            }
            int type = b.getShort(off + 4) & 0xffff;
            int flags = b.getShort(off + 6) & 0xffff;
            int seq = b.getInt(off + 8);
            int pid = b.getInt(off + 12);
            out.add(new NlMessage(type, flags, seq, pid, buf, off + Nl.NLMSG_HDRLEN, (int) len - Nl.NLMSG_HDRLEN));
            off += Math.min(Nl.align((int) len), remaining);
        }
        return out;
    }

    /** nlmsg_type. */
    public int type() {
        return type;
    }

    /** nlmsg_flags. */
    public int flags() {
        return flags;
    }

    /** nlmsg_seq. */
    public int seq() {
        return seq;
    }

    /** nlmsg_pid. */
    public int pid() {
        return pid;
    }

    /** The payload's length (after the 16-byte header). */
    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        byte[] copy = new byte[payloadLength];
        System.arraycopy(buf, payloadOffset, copy, 0, payloadLength);
        return copy;
    }

    /**
     * The fixed family header at the start of the payload (ifinfomsg, ifaddrmsg, rtmsg, tcmsg...), as a
     * native-order buffer of exactly {@code size} bytes.
     *
     * @throws NetlinkFormatException if the payload is shorter
     */
    public ByteBuffer familyHeader(int size, String what) {
        if (payloadLength < size) {
            throw new NetlinkFormatException(
                    what + " in " + Nl.typeName(type), "payload of " + payloadLength + " bytes, needs " + size);
        }
        return ByteBuffer.wrap(buf, payloadOffset, size).slice().order(ByteOrder.nativeOrder());
    }

    /**
     * The attributes after a family header of {@code headerSize} bytes (aligned to 4).
     *
     * @throws NetlinkFormatException if the payload is too short or the attributes are malformed
     */
    public NlAttrs attributes(int headerSize) {
        int start = Nl.align(headerSize);
        if (payloadLength < start) {
            throw new NetlinkFormatException(
                    "attributes in " + Nl.typeName(type),
                    "payload of " + payloadLength + " bytes, header needs " + start);
        }
        return NlAttrs.parse(buf, payloadOffset + start, payloadLength - start, Nl.typeName(type));
    }

    /** The error code of an NLMSG_ERROR (0 for an ack, else a negative errno). */
    public int errorCode() {
        return familyHeader(4, "nlmsgerr").getInt(0);
    }

    /**
     * The extended-ack text (NLMSGERR_ATTR_MSG) of an NLMSG_ERROR or NLMSG_DONE, or {@code null} when there is
     * none.
     */
    public String extAckMessage() {
        if ((flags & Nl.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int tlvStart;
        if (type == Nl.NLMSG_ERROR) {
            ByteBuffer h = familyHeader(4 + Nl.NLMSG_HDRLEN, "nlmsgerr");
            long origLen = Integer.toUnsignedLong(h.getInt(4));
            long skip = (flags & Nl.NLM_F_CAPPED) != 0 ? Nl.NLMSG_HDRLEN : origLen;
            if (origLen < Nl.NLMSG_HDRLEN || 4 + skip > payloadLength) {
                throw new NetlinkFormatException("nlmsgerr", "original message length " + origLen + " is inconsistent");
            }
            tlvStart = Nl.align((int) (4 + skip));
        } else {
            tlvStart = 4;
        }
        if (tlvStart >= payloadLength) {
            return null;
        }
        NlAttrs tlvs = NlAttrs.parse(buf, payloadOffset + tlvStart, payloadLength - tlvStart, "extended ack");
        return tlvs.has(Nl.NLMSGERR_ATTR_MSG) ? tlvs.string(Nl.NLMSGERR_ATTR_MSG) : null;
    }

    @Override
    public String toString() {
        return Nl.typeName(type) + "(flags 0x" + Integer.toHexString(flags) + ", seq " + seq + ", " + payloadLength
                + " bytes)";
    }
}
