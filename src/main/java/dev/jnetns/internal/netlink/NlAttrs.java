package dev.jnetns.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed stream of netlink attributes ({@code struct nlattr}): each attribute's bounds are checked against
 * its parent when parsing, and each accessor checks the attribute's size against what it reads. The last
 * occurrence of a type wins, as in the kernel's {@code nla_parse}; {@link #all()} keeps them all in order.
 */
public final class NlAttrs {
    private final byte[] buf;
    private final String where;
    private final Map<Integer, int[]> byType = new HashMap<>();
    private final List<int[]> all = new ArrayList<>();

    private NlAttrs(byte[] buf, String where) {
        this.buf = buf;
        this.where = where;
    }

    /**
     * Parses the attributes in {@code buf[offset, offset+length)}.
     *
     * @throws NetlinkFormatException if an attribute's length is below 4 or runs past the region, or the region
     *     ends with 1-3 stray bytes
     */
    public static NlAttrs parse(byte[] buf, int offset, int length, String where) {
        // length > buf.length - offset, not offset + length > buf.length: the sum of two huge ints wraps negative
        if (offset < 0 || length < 0 || offset > buf.length || length > buf.length - offset) {
            throw new NetlinkFormatException(
                    where, "attribute region [" + offset + ", +" + length + ") outside buffer");
        }
        NlAttrs attrs = new NlAttrs(buf, where);
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        int off = offset;
        int end = offset + length;
        while (off < end) {
            int remaining = end - off;
            if (remaining < Nl.NLA_HDRLEN) {
                throw new NetlinkFormatException(
                        "attribute in " + where, remaining + " stray bytes at the end, an attribute header needs 4");
            }
            int len = b.getShort(off) & 0xffff;
            int rawType = b.getShort(off + 2) & 0xffff;
            if (len < Nl.NLA_HDRLEN) {
                throw new NetlinkFormatException(
                        "attribute type " + (rawType & Nl.NLA_TYPE_MASK) + " in " + where, "nla_len " + len + " < 4");
            }
            if (len > remaining) {
                throw new NetlinkFormatException(
                        "attribute type " + (rawType & Nl.NLA_TYPE_MASK) + " in " + where,
                        "nla_len " + len + " runs past its parent (" + remaining + " bytes left)");
            }
            int[] entry = {rawType & Nl.NLA_TYPE_MASK, off + Nl.NLA_HDRLEN, len - Nl.NLA_HDRLEN};
            attrs.byType.put(entry[0], entry);
            attrs.all.add(entry);
            off += Math.min(Nl.align(len), remaining);
        }
        return attrs;
    }

    /** Whether an attribute of this type is present. */
    public boolean has(int type) {
        return byType.containsKey(type);
    }

    /** The types present, in order, repeated types included. */
    public List<Integer> types() {
        List<Integer> types = new ArrayList<>();
        for (int[] e : all) {
            types.add(e[0]);
        }
        return Collections.unmodifiableList(types);
    }

    /** All attributes as {@code [type, offset, length]} triples, in order. */
    public List<int[]> all() {
        List<int[]> copy = new ArrayList<>();
        for (int[] e : all) {
            copy.add(e.clone());
        }
        return copy;
    }

    private int[] need(int type, int minLength) {
        int[] e = byType.get(type);
        if (e == null) {
            throw new NetlinkFormatException("attribute type " + type + " in " + where, "missing");
        }
        if (e[2] < minLength) {
            throw new NetlinkFormatException(
                    "attribute type " + type + " in " + where, e[2] + " bytes of payload, needs " + minLength);
        }
        return e;
    }

    private ByteBuffer view(int[] e) {
        return ByteBuffer.wrap(buf, e[1], e[2]).slice().order(ByteOrder.nativeOrder());
    }

    /** An unsigned 8-bit value. */
    public int u8(int type) {
        return buf[need(type, 1)[1]] & 0xff;
    }

    /** An unsigned 16-bit value in host byte order. */
    public int u16(int type) {
        return view(need(type, 2)).getShort(0) & 0xffff;
    }

    /** A 32-bit value in host byte order. */
    public int u32(int type) {
        return view(need(type, 4)).getInt(0);
    }

    /** A 64-bit value in host byte order. */
    public long u64(int type) {
        return view(need(type, 8)).getLong(0);
    }

    /** An unsigned 16-bit value in network byte order. */
    public int be16(int type) {
        return view(need(type, 2)).order(ByteOrder.BIG_ENDIAN).getShort(0) & 0xffff;
    }

    /** A string, up to its first NUL (or the whole payload when there is none), as UTF-8. */
    public String string(int type) {
        int[] e = need(type, 0);
        int n = 0;
        while (n < e[2] && buf[e[1] + n] != 0) {
            n++;
        }
        return new String(buf, e[1], n, StandardCharsets.UTF_8);
    }

    /** A copy of the payload. */
    public byte[] bytes(int type) {
        int[] e = need(type, 0);
        byte[] out = new byte[e[2]];
        System.arraycopy(buf, e[1], out, 0, e[2]);
        return out;
    }

    /** The payload as a native-order buffer (for fixed structs), at least {@code minLength} bytes. */
    public ByteBuffer struct(int type, int minLength) {
        return view(need(type, minLength));
    }

    /** The attributes nested inside this one. */
    public NlAttrs nested(int type) {
        int[] e = need(type, 0);
        return parse(buf, e[1], e[2], where + "/" + type);
    }
}
