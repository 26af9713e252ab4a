package dev.jnetns.link;

import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;

/**
 * One kind of qdisc ({@code TCA_KIND}): what it sends in {@code TCA_OPTIONS}. Adding a kind means one subclass,
 * one factory method on {@link QdiscSpec}, and, to read its options back, one entry in {@link QdiscMessages}.
 */
abstract class QdiscKind {
    private final String name;

    QdiscKind(String name) {
        this.name = name;
    }

    /** The kernel's name for the kind, e.g. {@code tbf}. */
    final String name() {
        return name;
    }

    /** Writes {@code TCA_OPTIONS} (the attribute itself, with its header). */
    abstract void encodeOptions(NlBuilder m);

    /** What a qdisc of some kind read back from the kernel says in its options, for {@link Qdisc}. */
    record Readback(long rateBytesPerSecond, long burstBytes, long limitBytes) {
        static final Readback NONE = new Readback(0, 0, 0);
    }

    /** Reads a kind's {@code TCA_OPTIONS} back. */
    interface Decoder {
        Readback decode(NlAttrs options);
    }
}
