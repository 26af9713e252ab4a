package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** {@code RTM_NEWNEIGH}/{@code RTM_DELNEIGH} requests and {@code ndmsg} replies (null for other families). */
final class NeighbourMessages {
    private NeighbourMessages() {}

    /** {@code mac} null: a delete, which matches on the link and address alone. */
    static NlBuilder encode(int type, int nlFlags, int linkIndex, InetAddress ip, byte[] mac, int state) {
        int family = ip instanceof Inet6Address ? Nl.AF_INET6 : Nl.AF_INET;
        NlBuilder m = new NlBuilder(type, nlFlags)
                .ndmsg(family, linkIndex, state, 0, 0)
                .attr(Nl.NDA_DST, ip.getAddress());
        if (mac != null) {
            m.attr(Nl.NDA_LLADDR, mac);
        }
        return m;
    }

    static NlBuilder dump() {
        return new NlBuilder(Nl.RTM_GETNEIGH, 0).ndmsg(Nl.AF_UNSPEC, 0, 0, 0, 0);
    }

    static Neighbour decode(NlMessage m) {
        ByteBuffer h = m.familyHeader(Nl.NDMSG_LEN, "ndmsg");
        int family = h.get(0) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int index = h.getInt(4);
        int state = h.getShort(8) & 0xffff;
        int flags = h.get(10) & 0xff;
        NlAttrs a = m.attributes(Nl.NDMSG_LEN);
        if (!a.has(Nl.NDA_DST)) {
            return null; // a proxy or table-wide entry without an address: not a neighbour
        }
        InetAddress ip = AddressMessages.inet(family, a.bytes(Nl.NDA_DST), "ndmsg NDA_DST");
        byte[] lladdr = a.has(Nl.NDA_LLADDR) ? a.bytes(Nl.NDA_LLADDR) : new byte[0];
        String mac = lladdr.length > 0 ? MacAddresses.format(lladdr) : null;
        return new Neighbour(index, ip, mac, state, flags);
    }
}
