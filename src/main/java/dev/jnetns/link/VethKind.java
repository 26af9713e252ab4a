package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;

/** A veth pair: {@code VETH_INFO_PEER} carries the peer's own {@code ifinfomsg} and attributes. */
final class VethKind extends LinkKind {
    String peerName;
    String peerNamePrefix;
    NsFd peerNetns;
    Integer peerMtu;
    byte[] peerMac;

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
        // as vishvananda/netlink: the MTU, queue length and queues of both ends, unless the peer has its own MTU
        LinkMessages.endSettings(m, peerMtu != null ? peerMtu : spec.mtu, peerMac, spec);
        if (peerNs != null) {
            m.u32(Nl.IFLA_NET_NS_FD, peerNs.fd());
        }
        m.endNested(peerInfo);
    }

    /** How the peer's random name begins. */
    String peerPrefix() {
        return peerNamePrefix != null ? peerNamePrefix : "veth";
    }

    @Override
    java.util.List<String> valuesForMessages() {
        java.util.List<String> values = new java.util.ArrayList<>();
        if (peerMtu != null) {
            values.add("peer mtu " + peerMtu);
        }
        if (peerMac != null) {
            values.add("peer address " + MacAddresses.format(peerMac));
        }
        return values;
    }

    @Override
    boolean acceptsRawData() {
        return false;
    }
}
