package dev.jnetns.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pcapng file read by the tests, written apart from jnetns' writer from the format's specification
 * (draft-ietf-opsawg-pcapng): interfaces (link type, name) and enhanced packets (time, lengths, direction, data).
 */
public final class PcapngFile {
    /** An interface description block. */
    public record Interface(int linkType, int snapLength, String name, int tsresol) {}

    /** An enhanced packet block; {@code direction} 1 inbound, 2 outbound, 0 not given. */
    @SuppressWarnings("ArrayRecordComponent") // read once, never compared
    public record Packet(int interfaceId, long timestamp, int capturedLength, int length, int direction, byte[] data) {}

    public final List<Interface> interfaces = new ArrayList<>();
    public final List<Packet> packets = new ArrayList<>();

    private PcapngFile() {}

    public static PcapngFile read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        PcapngFile f = new PcapngFile();
        if (b.getInt(0) != 0x0A0D0D0A) {
            throw new AssertionError(file + " does not start with a section header block");
        }
        b.order(b.getInt(8) == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < b.limit()) {
            int type = b.getInt(at);
            int total = b.getInt(at + 4);
            if (total < 12 || total % 4 != 0 || b.getInt(at + total - 4) != total) {
                throw new AssertionError("block at " + at + " has a bad length " + total);
            }
            if (type == 1) {
                f.interfaces.add(readInterface(b, at, total));
            } else if (type == 6) {
                f.packets.add(readPacket(b, at, total));
            }
            at += total;
        }
        return f;
    }

    private static Interface readInterface(ByteBuffer b, int at, int total) {
        int linkType = b.getShort(at + 8) & 0xffff;
        int snap = b.getInt(at + 12);
        String name = null;
        int tsresol = 6;
        for (int o = at + 16; o < at + total - 4; ) {
            int code = b.getShort(o) & 0xffff;
            int len = b.getShort(o + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (code == 2) {
                byte[] n = new byte[len];
                b.get(o + 4, n);
                name = new String(n, StandardCharsets.UTF_8);
            } else if (code == 9) {
                tsresol = b.get(o + 4);
            }
            o += 4 + ((len + 3) & ~3);
        }
        return new Interface(linkType, snap, name, tsresol);
    }

    private static Packet readPacket(ByteBuffer b, int at, int total) {
        int id = b.getInt(at + 8);
        long ts = ((b.getInt(at + 12) & 0xffffffffL) << 32) | (b.getInt(at + 16) & 0xffffffffL);
        int caplen = b.getInt(at + 20);
        int len = b.getInt(at + 24);
        byte[] data = new byte[caplen];
        b.get(at + 28, data);
        int direction = 0;
        for (int o = at + 28 + ((caplen + 3) & ~3); o < at + total - 4; ) {
            int code = b.getShort(o) & 0xffff;
            int olen = b.getShort(o + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (code == 2) {
                direction = b.getInt(o + 4) & 3;
            }
            o += 4 + ((olen + 3) & ~3);
        }
        return new Packet(id, ts, caplen, len, direction, data);
    }
}
