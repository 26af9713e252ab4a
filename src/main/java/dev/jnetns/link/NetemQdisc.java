package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.time.Duration;

/** Network emulation: delay, jitter, random loss, a rate and a queue limit in packets. */
final class NetemQdisc extends QdiscKind {
    private static final long NANOS_PER_TICK = 64; // psched ticks (PSCHED_SHIFT 6)

    final Duration delay;
    final Duration jitter;
    final double lossPercent;
    final int limit;
    /** Bytes per second; 0: no limit. */
    final long rateBytesPerSecond;

    NetemQdisc(Duration delay, Duration jitter, double lossPercent, int limit, long rateBytesPerSecond) {
        super("netem");
        this.delay = delay;
        this.jitter = jitter;
        this.lossPercent = lossPercent;
        this.limit = limit;
        this.rateBytesPerSecond = rateBytesPerSecond;
    }

    @Override
    void encodeOptions(NlBuilder m) {
        long delayNs = delay.toNanos();
        long jitterNs = jitter.toNanos();
        TcStructs.NetemQopt qopt = new TcStructs.NetemQopt(
                Math.min(delayNs / NANOS_PER_TICK, 0xffffffffL),
                limit,
                Math.round(lossPercent / 100.0 * 0xffffffffL),
                0,
                0,
                Math.min(jitterNs / NANOS_PER_TICK, 0xffffffffL));
        int opts = m.begin(Nl.TCA_OPTIONS); // struct tc_netem_qopt, then attributes
        m.raw(qopt.bytes());
        m.u64(Nl.TCA_NETEM_LATENCY64, delayNs);
        m.u64(Nl.TCA_NETEM_JITTER64, jitterNs);
        if (rateBytesPerSecond > 0) {
            // struct tc_netem_rate (rate, packet and cell overheads, cell size), its rate in 32 bits; as tc, a
            // higher one goes in TCA_NETEM_RATE64 as well
            byte[] rate = new byte[16];
            java.nio.ByteBuffer.wrap(rate)
                    .order(java.nio.ByteOrder.nativeOrder())
                    .putInt(0, (int) Math.min(rateBytesPerSecond, 0xffffffffL));
            m.attr(Nl.TCA_NETEM_RATE, rate);
            if (rateBytesPerSecond >= 0xffffffffL) {
                m.u64(Nl.TCA_NETEM_RATE64, rateBytesPerSecond);
            }
        }
        m.endNested(opts);
    }

    @Override
    public String toString() {
        return "netem delay " + delay + " jitter " + jitter + " loss " + lossPercent + "% limit " + limit
                + (rateBytesPerSecond > 0 ? " rate " + rateBytesPerSecond + "B/s" : "");
    }
}
