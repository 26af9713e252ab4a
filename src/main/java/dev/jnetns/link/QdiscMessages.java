package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code RTM_NEWQDISC} requests (tbf, netem) and {@code tcmsg} replies. */
final class QdiscMessages {
    private static final double TICKS_PER_USEC = 15.625; // psched ticks are 64 ns (PSCHED_SHIFT 6)

    private QdiscMessages() {}

    static NlBuilder encode(int nlFlags, int linkIndex, QdiscSpec spec) {
        NlBuilder m = new NlBuilder(Nl.RTM_NEWQDISC, nlFlags)
                .tcmsg(Nl.AF_UNSPEC, linkIndex, 0, Nl.TC_H_ROOT)
                .string(Nl.TCA_KIND, spec.kind);
        if (spec.kind.equals("tbf")) {
            long ticks = (long) (1e6 * spec.burst / spec.rate * TICKS_PER_USEC);
            ByteBuffer qopt = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
            qopt.put(0, (byte) 0).put(1, (byte) 1); // rate: cell_log, linklayer ETHERNET (rate table not needed)
            qopt.putInt(8, (int) Math.min(spec.rate, 0xffffffffL));
            qopt.putInt(24, (int) spec.tbfLimit());
            qopt.putInt(28, (int) Math.min(ticks, 0xffffffffL));
            int opts = m.beginNested(Nl.TCA_OPTIONS);
            m.attr(Nl.TCA_TBF_PARMS, qopt.array());
            m.u32(Nl.TCA_TBF_BURST, (int) spec.burst);
            if (spec.rate >= 0x100000000L) {
                m.u64(Nl.TCA_TBF_RATE64, spec.rate);
            }
            m.endNested(opts);
        } else {
            long delayNs = spec.delay.toNanos();
            long jitterNs = spec.jitter.toNanos();
            ByteBuffer qopt = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            qopt.putInt(0, (int) Math.min(delayNs / 64, 0xffffffffL));
            qopt.putInt(4, spec.limit);
            qopt.putInt(8, (int) Math.round(spec.lossPercent / 100.0 * 0xffffffffL));
            qopt.putInt(20, (int) Math.min(jitterNs / 64, 0xffffffffL));
            int opts = m.begin(Nl.TCA_OPTIONS); // struct tc_netem_qopt, then attributes
            m.raw(qopt.array());
            m.u64(Nl.TCA_NETEM_LATENCY64, delayNs);
            m.u64(Nl.TCA_NETEM_JITTER64, jitterNs);
            m.endNested(opts);
        }
        return m;
    }

    static Qdisc decode(NlMessage m) {
        ByteBuffer h = m.familyHeader(Nl.TCMSG_LEN, "tcmsg");
        int index = h.getInt(4);
        int handle = h.getInt(8);
        int parent = h.getInt(12);
        NlAttrs a = m.attributes(Nl.TCMSG_LEN);
        String kind = a.has(Nl.TCA_KIND) ? a.string(Nl.TCA_KIND) : "";
        long rate = 0;
        long burst = 0;
        long limit = 0;
        if (kind.equals("tbf") && a.has(Nl.TCA_OPTIONS)) {
            NlAttrs o = a.nested(Nl.TCA_OPTIONS);
            ByteBuffer qopt = o.struct(Nl.TCA_TBF_PARMS, 36);
            rate = Integer.toUnsignedLong(qopt.getInt(8));
            if (o.has(Nl.TCA_TBF_RATE64)) {
                rate = o.u64(Nl.TCA_TBF_RATE64);
            }
            limit = Integer.toUnsignedLong(qopt.getInt(24));
            long ticks = Integer.toUnsignedLong(qopt.getInt(28));
            burst = (long) (rate * (ticks / TICKS_PER_USEC) / 1e6);
        }
        return new Qdisc(index, kind, handle, parent, rate, burst, limit);
    }
}
