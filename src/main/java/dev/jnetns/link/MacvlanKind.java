package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;

/** A macvlan on a parent link ({@code IFLA_LINK}), in one of the {@link MacvlanMode}s. */
final class MacvlanKind extends LinkKind {
    MacvlanMode mode = MacvlanMode.BRIDGE;

    MacvlanKind() {
        super("macvlan", "mv");
    }

    @Override
    boolean sendsData() {
        return true;
    }

    @Override
    void encodeData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {
        m.u32(Nl.IFLA_MACVLAN_MODE, mode.value);
    }

    @Override
    java.util.List<String> valuesForMessages() {
        return java.util.List.of("mode " + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
}
