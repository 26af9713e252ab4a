package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A token bucket filter: a rate, a burst, and how long a packet may wait (which sets the queue's limit). */
final class TbfQdisc extends QdiscKind {
    static final double TICKS_PER_USEC = 15.625; // psched ticks are 64 ns (PSCHED_SHIFT 6)

    final long rate;
    final long burst;
    final Duration latency;

    TbfQdisc(long rate, long burst, Duration latency) {
        super("tbf");
        this.rate = rate;
        this.burst = burst;
        this.latency = latency;
    }

    /** Bytes that may queue: what the rate sends in {@code latency}, plus the burst (as tc computes it). */
    long limit() {
        return Math.min(unclampedLimit(), 0xffffffffL);
    }

    /** {@link #limit()} before it is fitted into the kernel's 32 bits; {@code QdiscSpec.tbf} refuses more. */
    long unclampedLimit() {
        double seconds = latency.getSeconds() + latency.getNano() / 1e9;
        return (long) Math.min(rate * seconds + burst, Long.MAX_VALUE);
    }

    /** The burst as the time the rate takes to send it, in psched ticks of 64 ns, as the kernel reports it. */
    long burstTicks() {
        return (long) (1e6 * burst / rate * TICKS_PER_USEC);
    }

    @Override
    void encodeOptions(NlBuilder m) {
        long ticks = burstTicks();
        TcStructs.TbfQopt qopt = new TcStructs.TbfQopt(
                TcStructs.RateSpec.ethernet(rate),
                new TcStructs.RateSpec(0, 0, 0, 0, 0, 0),
                limit(),
                Math.min(ticks, 0xffffffffL),
                0);
        int opts = m.beginNested(Nl.TCA_OPTIONS);
        m.attr(Nl.TCA_TBF_PARMS, qopt.bytes());
        m.u32(Nl.TCA_TBF_BURST, (int) burst);
        if (rate >= 0x100000000L) {
            m.u64(Nl.TCA_TBF_RATE64, rate);
        }
        m.endNested(opts);
    }

    static Readback decode(NlAttrs options) {
        ByteBuffer raw = options.struct(Nl.TCA_TBF_PARMS, TcStructs.TbfQopt.SIZE);
        TcStructs.TbfQopt qopt = TcStructs.TbfQopt.read(raw);
        long rate = options.has(Nl.TCA_TBF_RATE64)
                ? options.u64(Nl.TCA_TBF_RATE64)
                : qopt.rate().rate();
        long burst = (long) (rate * (qopt.buffer() / TICKS_PER_USEC) / 1e6);
        return new Readback(rate, burst, qopt.limit());
    }

    @Override
    public String toString() {
        return "tbf rate " + rate + "B/s burst " + burst + "B latency " + latency;
    }
}
