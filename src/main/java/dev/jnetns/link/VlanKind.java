package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.NlBuilder;

/** An 802.1Q VLAN on a parent link ({@code IFLA_LINK}): {@code IFLA_VLAN_ID}. */
final class VlanKind extends LinkKind {
    /** {@code IFLA_VLAN_ID} from linux/if_link.h: a u16. */
    static final int IFLA_VLAN_ID = 1;

    final int id;

    VlanKind(int id) {
        super("vlan", "vlan");
        this.id = id;
    }

    @Override
    boolean sendsData() {
        return true;
    }

    @Override
    void encodeData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {
        m.u16(IFLA_VLAN_ID, id);
    }

    @Override
    java.util.List<String> valuesForMessages() {
        return java.util.List.of("id " + id);
    }
}
