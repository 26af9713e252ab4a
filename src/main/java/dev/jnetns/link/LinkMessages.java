package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.util.Map;

/** {@code RTM_NEWLINK} create requests; each {@link LinkKind} writes its own {@code IFLA_INFO_DATA}. */
final class LinkMessages {
    private LinkMessages() {}

    /** {@code peerNs}: where a veth's peer goes (null: the requesting socket's namespace). */
    static NlBuilder newLink(LinkSpec spec, String name, String peer, NsFd peerNs) {
        int upFlags = spec.up ? Nl.IFF_UP : 0;
        NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
                .ifinfomsg(Nl.AF_UNSPEC, 0, upFlags, upFlags)
                .string(Nl.IFLA_IFNAME, name);
        if (spec.mtu != null) {
            m.u32(Nl.IFLA_MTU, spec.mtu);
        }
        if (spec.mac != null) {
            m.attr(Nl.IFLA_ADDRESS, spec.mac);
        }
        if (spec.netns != null) {
            m.u32(Nl.IFLA_NET_NS_FD, spec.netns.fd());
        }
        if (spec.parentIndex != null) {
            m.u32(Nl.IFLA_LINK, spec.parentIndex);
        }
        int linkInfo = m.beginNested(Nl.IFLA_LINKINFO);
        m.string(Nl.IFLA_INFO_KIND, spec.kind.name());
        // one path for every kind: its typed attributes, then the raw ones
        if (spec.kind.sendsData() || !spec.infoData.isEmpty()) {
            int data = m.beginNested(Nl.IFLA_INFO_DATA);
            spec.kind.encodeData(m, spec, peer, peerNs);
            for (Map.Entry<Integer, byte[]> e : spec.infoData.entrySet()) {
                m.attr(e.getKey(), e.getValue());
            }
            m.endNested(data);
        }
        m.endNested(linkInfo);
        return m;
    }
}
