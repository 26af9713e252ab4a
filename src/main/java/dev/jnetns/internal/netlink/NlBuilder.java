package dev.jnetns.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: the 16-byte {@code nlmsghdr}, a family header, then attributes, each padded to
 * 4 bytes; nested attributes via {@link #beginNested(int)} / {@link #endNested(int)}. Integers are in host byte
 * order unless a method says otherwise. The length and sequence number are filled in by {@link #build(int)}.
 */
public final class NlBuilder {
    private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final int type;

    /**
     * @param type the message type, e.g. {@link Nl#RTM_NEWLINK}
     * @param flags the flags; {@link Nl#NLM_F_REQUEST} is always added
     */
    public NlBuilder(int type, int flags) {
        this.type = type;
        b.putInt(0)
                .putShort((short) type)
                .putShort((short) (flags | Nl.NLM_F_REQUEST))
                .putInt(0)
                .putInt(0);
    }

    /** The message type. */
    public int type() {
        return type;
    }

    private void ensure(int more) {
        if (b.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + more + 64))
                    .order(ByteOrder.nativeOrder());
            b.flip();
            bigger.put(b);
            b = bigger;
        }
    }

    private void pad() {
        int padded = Nl.align(b.position());
        ensure(padded - b.position());
        while (b.position() < padded) {
            b.put((byte) 0);
        }
    }

    /** Appends raw bytes (a family header or struct), then pads to 4. */
    public NlBuilder raw(byte[] bytes) {
        ensure(bytes.length + 4);
        b.put(bytes);
        pad();
        return this;
    }

    /** {@code struct ifinfomsg}. */
    public NlBuilder ifinfomsg(int family, int index, int flags, int change) {
        ensure(Nl.IFINFOMSG_LEN);
        b.put((byte) family)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(index)
                .putInt(flags)
                .putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg}. */
    public NlBuilder ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
        ensure(Nl.IFADDRMSG_LEN);
        b.put((byte) family)
                .put((byte) prefixLen)
                .put((byte) flags)
                .put((byte) scope)
                .putInt(index);
        return this;
    }

    /** {@code struct ndmsg}. */
    public NlBuilder ndmsg(int family, int index, int state, int flags, int type) {
        ensure(Nl.NDMSG_LEN);
        b.put((byte) family)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(index)
                .putShort((short) state)
                .put((byte) flags)
                .put((byte) type);
        return this;
    }

    /** {@code struct rtmsg}. */
    public NlBuilder rtmsg(int family, int dstLen, int table, int protocol, int scope, int rtType, int flags) {
        ensure(Nl.RTMSG_LEN);
        b.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0);
        b.put((byte) table)
                .put((byte) protocol)
                .put((byte) scope)
                .put((byte) rtType)
                .putInt(flags);
        return this;
    }

    /** {@code struct tcmsg}. */
    public NlBuilder tcmsg(int family, int ifindex, int handle, int parent) {
        ensure(Nl.TCMSG_LEN);
        b.put((byte) family)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(ifindex)
                .putInt(handle)
                .putInt(parent)
                .putInt(0);
        return this;
    }

    /**
     * An attribute with a raw payload.
     *
     * @throws IllegalArgumentException if header and payload exceed 65535 bytes, the most {@code nla_len} (16
     *     bits) can say
     */
    public NlBuilder attr(int attrType, byte[] payload) {
        if (Nl.NLA_HDRLEN + payload.length > 0xffff) {
            throw new IllegalArgumentException("attribute type " + attrType + ": a payload of " + payload.length
                    + " bytes does not fit in nla_len (16 bits: at most " + (0xffff - Nl.NLA_HDRLEN) + " bytes)");
        }
        ensure(Nl.NLA_HDRLEN + payload.length + 4);
        b.putShort((short) (Nl.NLA_HDRLEN + payload.length))
                .putShort((short) attrType)
                .put(payload);
        pad();
        return this;
    }

    /** A flag attribute (no payload). */
    public NlBuilder flag(int attrType) {
        return attr(attrType, new byte[0]);
    }

    /** An 8-bit attribute. */
    public NlBuilder u8(int attrType, int value) {
        return attr(attrType, new byte[] {(byte) value});
    }

    /** A 16-bit attribute in host byte order. */
    public NlBuilder u16(int attrType, int value) {
        return attr(
                attrType,
                ByteBuffer.allocate(2)
                        .order(ByteOrder.nativeOrder())
                        .putShort((short) value)
                        .array());
    }

    /** A 16-bit attribute in network byte order (e.g. {@code IFLA_VXLAN_PORT}). */
    public NlBuilder be16(int attrType, int value) {
        return attr(
                attrType,
                ByteBuffer.allocate(2)
                        .order(ByteOrder.BIG_ENDIAN)
                        .putShort((short) value)
                        .array());
    }

    /** A 32-bit attribute in host byte order. */
    public NlBuilder u32(int attrType, int value) {
        return attr(
                attrType,
                ByteBuffer.allocate(4)
                        .order(ByteOrder.nativeOrder())
                        .putInt(value)
                        .array());
    }

    /** A 64-bit attribute in host byte order. */
    public NlBuilder u64(int attrType, long value) {
        return attr(
                attrType,
                ByteBuffer.allocate(8)
                        .order(ByteOrder.nativeOrder())
                        .putLong(value)
                        .array());
    }

    /** A NUL-terminated UTF-8 string attribute. */
    public NlBuilder string(int attrType, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(utf8, utf8.length + 1));
    }

    /**
     * Starts a nested attribute whose payload is itself attributes; marked {@link Nl#NLA_F_NESTED}.
     *
     * @return the token to pass to {@link #endNested(int)}
     */
    public int beginNested(int attrType) {
        return begin(attrType | Nl.NLA_F_NESTED);
    }

    /**
     * Starts an attribute whose payload is built by further calls (a struct followed by attributes, as
     * {@code VETH_INFO_PEER}), without {@link Nl#NLA_F_NESTED}.
     *
     * @return the token to pass to {@link #endNested(int)}
     */
    public int begin(int attrType) {
        pad();
        ensure(Nl.NLA_HDRLEN);
        int start = b.position();
        b.putShort((short) 0).putShort((short) attrType);
        return start;
    }

    /** Ends the attribute started at {@code token}: fills in its length. */
    public NlBuilder endNested(int token) {
        int len = b.position() - token;
        if (len > 0xffff) {
            throw new IllegalStateException("nested attribute too large: " + len);
        }
        b.putShort(token, (short) len);
        pad();
        return this;
    }

    /** The finished message with {@code seq} (and pid 0, the kernel fills in the port). */
    public byte[] build(int seq) {
        pad();
        byte[] out = Arrays.copyOf(b.array(), b.position());
        ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        o.putInt(0, out.length);
        o.putInt(8, seq);
        return out;
    }
}
