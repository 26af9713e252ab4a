package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.net.Inet6Address;
import java.util.Map;

/** {@code RTM_NEWLINK} create requests for every kind of {@link LinkSpec}. */
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
        m.string(Nl.IFLA_INFO_KIND, spec.kind);
        switch (spec.kind) {
            case "veth" -> {
                int data = m.beginNested(Nl.IFLA_INFO_DATA);
                int peerInfo = m.begin(Nl.VETH_INFO_PEER); // struct ifinfomsg, then attributes
                m.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0).string(Nl.IFLA_IFNAME, peer);
                if (spec.mtu != null) {
                    m.u32(Nl.IFLA_MTU, spec.mtu);
                }
                if (peerNs != null) {
                    m.u32(Nl.IFLA_NET_NS_FD, peerNs.fd());
                }
                m.endNested(peerInfo);
                m.endNested(data);
            }
            case "vxlan" -> {
                int data = m.beginNested(Nl.IFLA_INFO_DATA);
                m.u32(Nl.IFLA_VXLAN_ID, spec.vni);
                if (spec.remote != null) {
                    m.attr(
                            spec.remote instanceof Inet6Address ? Nl.IFLA_VXLAN_GROUP6 : Nl.IFLA_VXLAN_GROUP,
                            spec.remote.getAddress());
                }
                if (spec.local != null) {
                    m.attr(
                            spec.local instanceof Inet6Address ? Nl.IFLA_VXLAN_LOCAL6 : Nl.IFLA_VXLAN_LOCAL,
                            spec.local.getAddress());
                }
                if (spec.deviceIndex != null) {
                    m.u32(Nl.IFLA_VXLAN_LINK, spec.deviceIndex);
                }
                if (spec.port != null) {
                    m.be16(Nl.IFLA_VXLAN_PORT, spec.port);
                }
                m.endNested(data);
            }
            case "macvlan" -> {
                int data = m.beginNested(Nl.IFLA_INFO_DATA);
                m.u32(Nl.IFLA_MACVLAN_MODE, spec.mode.value);
                m.endNested(data);
            }
            default -> {
                if (!spec.infoData.isEmpty()) {
                    int data = m.beginNested(Nl.IFLA_INFO_DATA);
                    for (Map.Entry<Integer, byte[]> e : spec.infoData.entrySet()) {
                        m.attr(e.getKey(), e.getValue());
                    }
                    m.endNested(data);
                }
            }
        }
        m.endNested(linkInfo);
        return m;
    }
}
