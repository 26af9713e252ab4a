package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;

/**
 * A hierarchy token bucket root: {@code TCA_HTB_INIT} with the class that unclassified traffic goes to. Classes
 * are not made by jnetns; with none, htb sends unclassified traffic directly.
 */
final class HtbQdisc extends QdiscKind {
    /** {@code TCA_HTB_INIT} from linux/pkt_sched.h. */
    static final int TCA_HTB_INIT = 2;

    private static final int RATE_TO_QUANTUM = 10; // tc's default r2q

    final int defaultClass;

    HtbQdisc(int defaultClass) {
        super("htb");
        this.defaultClass = defaultClass;
    }

    @Override
    void encodeOptions(NlBuilder m) {
        TcStructs.HtbGlob glob =
                new TcStructs.HtbGlob(TcStructs.HtbGlob.PROTOCOL_VERSION, RATE_TO_QUANTUM, defaultClass, 0, 0);
        int opts = m.beginNested(Nl.TCA_OPTIONS);
        m.attr(TCA_HTB_INIT, glob.bytes());
        m.endNested(opts);
    }

    @Override
    public String toString() {
        return "htb default " + Integer.toHexString(defaultClass);
    }
}
