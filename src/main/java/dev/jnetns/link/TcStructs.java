package dev.jnetns.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The C structs of linux/pkt_sched.h that qdiscs send in {@code TCA_OPTIONS}, as named layouts: each field
 * written and read in one place, in host byte order, at the offsets of the kernel's uapi header.
 */
final class TcStructs {
    private TcStructs() {}

    /** {@code struct tc_ratespec}: 12 bytes. */
    record RateSpec(int cellLog, int linkLayer, int overhead, int cellAlign, int mpu, long rate) {
        static final int SIZE = 12;
        /** {@code TC_LINKLAYER_ETHERNET}. */
        static final int LINKLAYER_ETHERNET = 1;

        /** A rate in bytes per second on Ethernet, with no rate table; the 32-bit field saturates. */
        static RateSpec ethernet(long bytesPerSecond) {
            return new RateSpec(0, LINKLAYER_ETHERNET, 0, 0, 0, Math.min(bytesPerSecond, 0xffffffffL));
        }

        void write(ByteBuffer b, int at) {
            b.put(at, (byte) cellLog);
            b.put(at + 1, (byte) linkLayer);
            b.putShort(at + 2, (short) overhead);
            b.putShort(at + 4, (short) cellAlign);
            b.putShort(at + 6, (short) mpu);
            b.putInt(at + 8, (int) rate);
        }

        static RateSpec read(ByteBuffer b, int at) {
            return new RateSpec(
                    b.get(at) & 0xff,
                    b.get(at + 1) & 0xff,
                    b.getShort(at + 2) & 0xffff,
                    b.getShort(at + 4),
                    b.getShort(at + 6) & 0xffff,
                    Integer.toUnsignedLong(b.getInt(at + 8)));
        }
    }

    /** {@code struct tc_tbf_qopt}: 36 bytes; {@code buffer} is in psched ticks. */
    record TbfQopt(RateSpec rate, RateSpec peakRate, long limit, long buffer, long mtu) {
        static final int SIZE = 36;
        private static final int RATE = 0;
        private static final int PEAK_RATE = 12;
        private static final int LIMIT = 24;
        private static final int BUFFER = 28;
        private static final int MTU = 32;

        byte[] bytes() {
            byte[] out = new byte[SIZE];
            ByteBuffer b = inHostOrder(out);
            rate.write(b, RATE);
            peakRate.write(b, PEAK_RATE);
            b.putInt(LIMIT, (int) limit);
            b.putInt(BUFFER, (int) buffer);
            b.putInt(MTU, (int) mtu);
            return out;
        }

        static TbfQopt read(ByteBuffer b) {
            return new TbfQopt(
                    RateSpec.read(b, RATE),
                    RateSpec.read(b, PEAK_RATE),
                    Integer.toUnsignedLong(b.getInt(LIMIT)),
                    Integer.toUnsignedLong(b.getInt(BUFFER)),
                    Integer.toUnsignedLong(b.getInt(MTU)));
        }
    }

    /** {@code struct tc_netem_qopt}: 24 bytes; latency and jitter in psched ticks, loss out of 2^32-1. */
    record NetemQopt(long latency, long limit, long loss, long gap, long duplicate, long jitter) {
        static final int SIZE = 24;

        byte[] bytes() {
            byte[] out = new byte[SIZE];
            ByteBuffer b = inHostOrder(out);
            b.putInt(0, (int) latency);
            b.putInt(4, (int) limit);
            b.putInt(8, (int) loss);
            b.putInt(12, (int) gap);
            b.putInt(16, (int) duplicate);
            b.putInt(20, (int) jitter);
            return out;
        }
    }

    /** {@code struct tc_htb_glob}: 20 bytes. */
    record HtbGlob(long version, long rate2Quantum, long defaultClass, long debug, long directPackets) {
        static final int SIZE = 20;
        /** {@code TC_HTB_PROTOVER}. */
        static final int PROTOCOL_VERSION = 3;

        byte[] bytes() {
            byte[] out = new byte[SIZE];
            ByteBuffer b = inHostOrder(out);
            b.putInt(0, (int) version);
            b.putInt(4, (int) rate2Quantum);
            b.putInt(8, (int) defaultClass);
            b.putInt(12, (int) debug);
            b.putInt(16, (int) directPackets);
            return out;
        }

        static HtbGlob read(ByteBuffer b) {
            return new HtbGlob(
                    Integer.toUnsignedLong(b.getInt(0)),
                    Integer.toUnsignedLong(b.getInt(4)),
                    Integer.toUnsignedLong(b.getInt(8)),
                    Integer.toUnsignedLong(b.getInt(12)),
                    Integer.toUnsignedLong(b.getInt(16)));
        }
    }

    private static ByteBuffer inHostOrder(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }
}
