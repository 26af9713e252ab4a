package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import java.nio.ByteBuffer;
import java.util.Map;

/** {@code RTM_NEWQDISC} requests, each {@link QdiscKind} writing its own options, and {@code tcmsg} replies. */
final class QdiscMessages {
    /** The kinds whose options {@link Qdisc} reports; others read back with zeros. */
    private static final Map<String, QdiscKind.Decoder> DECODERS = Map.of("tbf", TbfQdisc::decode);

    private QdiscMessages() {}

    static NlBuilder encode(int nlFlags, int linkIndex, QdiscSpec spec) {
        NlBuilder m = new NlBuilder(Nl.RTM_NEWQDISC, nlFlags)
                .tcmsg(Nl.AF_UNSPEC, linkIndex, 0, Nl.TC_H_ROOT)
                .string(Nl.TCA_KIND, spec.kind.name());
        spec.kind.encodeOptions(m);
        return m;
    }

    static Qdisc decode(NlMessage m) {
        ByteBuffer h = m.familyHeader(Nl.TCMSG_LEN, "tcmsg");
        int index = h.getInt(4);
        int handle = h.getInt(8);
        int parent = h.getInt(12);
        NlAttrs a = m.attributes(Nl.TCMSG_LEN);
        String kind = a.has(Nl.TCA_KIND) ? a.string(Nl.TCA_KIND) : "";
        QdiscKind.Decoder decoder = DECODERS.get(kind);
        QdiscKind.Readback options = decoder != null && a.has(Nl.TCA_OPTIONS)
                ? decoder.decode(a.nested(Nl.TCA_OPTIONS))
                : QdiscKind.Readback.NONE;
        return new Qdisc(
                index, kind, handle, parent, options.rateBytesPerSecond(), options.burstBytes(), options.limitBytes());
    }
}
