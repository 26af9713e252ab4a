package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;

/** A veth pair: {@code VETH_INFO_PEER} carries the peer's own {@code ifinfomsg} and attributes. */
final class VethKind extends LinkKind {
    String peerName;
    NsFd peerNetns;

    VethKind() {
        super("veth", "veth");
    }

    @Override
    boolean sendsData() {
        return true;
    }

    @Override
    void encodeData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {
        int peerInfo = m.begin(Nl.VETH_INFO_PEER); // struct ifinfomsg, then attributes
        m.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0).string(Nl.IFLA_IFNAME, peer);
        if (spec.mtu != null) {
            m.u32(Nl.IFLA_MTU, spec.mtu);
        }
        if (peerNs != null) {
            m.u32(Nl.IFLA_NET_NS_FD, peerNs.fd());
        }
        m.endNested(peerInfo);
    }

    @Override
    boolean acceptsRawData() {
        return false;
    }
}
