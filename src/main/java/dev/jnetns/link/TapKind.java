package dev.jnetns.link;

import dev.jnetns.internal.sys.NetlinkNatives;
import java.util.ArrayList;
import java.util.List;

/**
 * A persistent tap: made with the TUN ioctls, not with netlink, so it has no netlink data; its options are the
 * {@code IFF_*} flags of {@code TUNSETIFF}.
 */
final class TapKind extends LinkKind {
    boolean multiQueue;
    boolean vnetHeader;

    TapKind() {
        super("tap", "tap");
    }

    @Override
    boolean acceptsRawData() {
        return false;
    }

    /** The flags of a tap without options: Ethernet frames, no packet information header. */
    static int defaultFlags() {
        return NetlinkNatives.IFF_TAP | NetlinkNatives.IFF_NO_PI;
    }

    /** The flags of the creating {@code TUNSETIFF}. */
    int flags() {
        int flags = defaultFlags();
        flags |= multiQueue ? NetlinkNatives.IFF_MULTI_QUEUE : 0;
        flags |= vnetHeader ? NetlinkNatives.IFF_VNET_HDR : 0;
        return flags;
    }

    @Override
    List<String> valuesForMessages() {
        List<String> values = new ArrayList<>();
        if (multiQueue) {
            values.add("multi_queue");
        }
        if (vnetHeader) {
            values.add("vnet_hdr");
        }
        return values;
    }
}
