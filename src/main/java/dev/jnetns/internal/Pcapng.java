package dev.jnetns.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a capture as a pcapng file (one interface block per link seen, with its name and nanosecond timestamps;
 * one enhanced packet block per packet, with its direction), which Wireshark and {@code tcpdump -r} read.
 */
public final class Pcapng {
    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int ENHANCED_PACKET = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final short OPT_END = 0;
    private static final short IF_NAME = 2;
    private static final short IF_TSRESOL = 9;
    private static final short EPB_FLAGS = 2;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW = 101;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;

    private Pcapng() {}

    /** Writes {@code capture} to {@code file}, replacing what was there. */
    public static void write(Path file, PacketCapture.Result capture) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(block(SECTION_HEADER, sectionHeader()));
            Map<Integer, Integer> ids = new HashMap<>();
            for (Map.Entry<Integer, PacketCapture.Interface> each :
                    capture.interfaces().entrySet()) {
                ids.put(each.getKey(), ids.size());
                out.write(block(INTERFACE_DESCRIPTION, interfaceDescription(each.getValue(), capture.snapLength())));
            }
            for (PacketCapture.Packet p : capture.packets()) {
                out.write(block(ENHANCED_PACKET, enhancedPacket(ids.get(p.ifindex()), p)));
            }
        }
    }

    /** The link-layer type of packets read from a link of {@code ARPHRD_*} type {@code hatype}. */
    static int linkType(int hatype) {
        // lo carries Ethernet headers (zero addresses); links without a header (tun) carry IP packets
        return hatype == ARPHRD_ETHER || hatype == ARPHRD_LOOPBACK ? LINKTYPE_ETHERNET : LINKTYPE_RAW;
    }

    private static byte[] sectionHeader() {
        return ByteBuffer.allocate(16 + 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(BYTE_ORDER_MAGIC)
                .putShort((short) 1)
                .putShort((short) 0)
                .putLong(-1) // section length unknown
                .putShort(OPT_END)
                .putShort((short) 0)
                .array();
    }

    private static byte[] interfaceDescription(PacketCapture.Interface link, int snapLength) {
        byte[] name = link.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + option(name.length) + option(1) + 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) linkType(link.hatype()))
                .putShort((short) 0)
                .putInt(snapLength);
        putOption(b, IF_NAME, name);
        putOption(b, IF_TSRESOL, new byte[] {9}); // nanoseconds
        return b.putShort(OPT_END).putShort((short) 0).array();
    }

    private static byte[] enhancedPacket(int interfaceId, PacketCapture.Packet p) {
        byte[] data = p.data();
        ByteBuffer b = ByteBuffer.allocate(20 + padded(data.length) + option(4) + 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(interfaceId)
                .putInt((int) (p.nanos() >>> 32))
                .putInt((int) p.nanos())
                .putInt(data.length)
                .putInt(p.length());
        b.put(data).position(20 + padded(data.length));
        // direction in the two low bits: 01 inbound, 10 outbound
        putOption(
                b,
                EPB_FLAGS,
                ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(p.outbound() ? 2 : 1)
                        .array());
        return b.putShort(OPT_END).putShort((short) 0).array();
    }

    /** A block: type, total length, body (a multiple of 4 bytes), total length again. */
    private static byte[] block(int type, byte[] body) {
        int total = 12 + body.length;
        return ByteBuffer.allocate(total)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type)
                .putInt(total)
                .put(body)
                .putInt(total)
                .array();
    }

    private static void putOption(ByteBuffer b, short code, byte[] value) {
        b.putShort(code).putShort((short) value.length).put(value);
        b.position(b.position() + padded(value.length) - value.length);
    }

    private static int option(int valueLength) {
        return 4 + padded(valueLength);
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }
}
