package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.net.Inet6Address;
import java.net.InetAddress;

/** A VXLAN tunnel end: its VNI, UDP port, remote or group, local address and underlying device. */
final class VxlanKind extends LinkKind {
    final int vni;
    Integer port;
    InetAddress remote;
    InetAddress local;
    Integer deviceIndex;
    long deviceNetnsIno;

    VxlanKind(int vni) {
        super("vxlan", "vx");
        this.vni = vni;
    }

    @Override
    boolean sendsData() {
        return true;
    }

    @Override
    void encodeData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {
        m.u32(Nl.IFLA_VXLAN_ID, vni);
        if (remote != null) {
            m.attr(remote instanceof Inet6Address ? Nl.IFLA_VXLAN_GROUP6 : Nl.IFLA_VXLAN_GROUP, remote.getAddress());
        }
        if (local != null) {
            m.attr(local instanceof Inet6Address ? Nl.IFLA_VXLAN_LOCAL6 : Nl.IFLA_VXLAN_LOCAL, local.getAddress());
        }
        if (deviceIndex != null) {
            m.u32(Nl.IFLA_VXLAN_LINK, deviceIndex);
        }
        if (port != null) {
            m.be16(Nl.IFLA_VXLAN_PORT, port);
        }
    }

    @Override
    java.util.List<String> valuesForMessages() {
        java.util.List<String> values = new java.util.ArrayList<>();
        values.add("vni " + vni);
        if (remote != null) {
            values.add((remote.isMulticastAddress() ? "group " : "remote ") + remote.getHostAddress());
        }
        if (local != null) {
            values.add("local " + local.getHostAddress());
        }
        if (deviceIndex != null) {
            values.add("device index " + deviceIndex);
        }
        if (port != null) {
            values.add("port " + port);
        }
        return values;
    }

    @Override
    String foreignReference(long ino) {
        if (deviceIndex == null || deviceNetnsIno == ino) {
            return null;
        }
        return "underlying device (index " + deviceIndex + ") was read from net:[" + deviceNetnsIno + "]";
    }
}
