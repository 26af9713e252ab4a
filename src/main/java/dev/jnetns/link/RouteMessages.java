package dev.jnetns.link;

import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * {@code RTM_NEWROUTE}/{@code RTM_DELROUTE}/{@code RTM_GETROUTE} requests and {@code rtmsg} replies (null for
 * other families).
 */
final class RouteMessages {
    static final int RTA_METRICS = 8;
    static final int RTAX_MTU = 2;
    static final int RTAX_ADVMSS = 8;
    static final int RTAX_HOPLIMIT = 10;
    /** Report the table the route was found in, not always main (as {@code ip route get} asks). */
    static final int RTM_F_LOOKUP_TABLE = 0x1000;

    private RouteMessages() {}

    /** An {@code RTM_GETROUTE} for one destination: the route the kernel would choose (no dump). */
    static NlBuilder get(InetAddress dst) {
        boolean v6 = dst instanceof Inet6Address;
        return new NlBuilder(Nl.RTM_GETROUTE, 0)
                .rtmsg(v6 ? Nl.AF_INET6 : Nl.AF_INET, v6 ? 128 : 32, 0, 0, 0, 0, RTM_F_LOOKUP_TABLE)
                .attr(Nl.RTA_DST, dst.getAddress());
    }

    static NlBuilder encode(int type, int nlFlags, Route route) {
        IpPrefix dst = route.destination();
        int family = dst.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET;
        boolean delete = type == Nl.RTM_DELROUTE;
        int table = route.table();
        NlBuilder m = new NlBuilder(type, nlFlags)
                .rtmsg(
                        family,
                        dst.prefixLength(),
                        table >= 0 && table < 256 ? table : 0 /* RT_TABLE_UNSPEC: see RTA_TABLE */,
                        delete ? 0 : route.protocol(),
                        delete ? 255 /* RT_SCOPE_NOWHERE: any */ : route.effectiveScope(),
                        delete ? 0 : route.type(),
                        route.flags());
        if (dst.prefixLength() > 0) {
            m.attr(Nl.RTA_DST, dst.address().getAddress());
        }
        if (route.gateway() != null) {
            m.attr(Nl.RTA_GATEWAY, route.gateway().getAddress());
        }
        if (route.oifIndex() != 0) {
            m.u32(Nl.RTA_OIF, route.oifIndex());
        }
        if (route.priority() != 0) {
            m.u32(Nl.RTA_PRIORITY, route.priority());
        }
        if (route.preferredSource() != null) {
            m.attr(Nl.RTA_PREFSRC, route.preferredSource().getAddress());
        }
        if (route.hasMetrics()) {
            int metrics = m.beginNested(RTA_METRICS);
            if (route.mtu() != 0) {
                m.u32(RTAX_MTU, route.mtu());
            }
            if (route.advmss() != 0) {
                m.u32(RTAX_ADVMSS, route.advmss());
            }
            if (route.hopLimit() != 0) {
                m.u32(RTAX_HOPLIMIT, route.hopLimit());
            }
            m.endNested(metrics);
        }
        m.u32(Nl.RTA_TABLE, table);
        return m;
    }

    static Route decode(NlMessage m) {
        ByteBuffer h = m.familyHeader(Nl.RTMSG_LEN, "rtmsg");
        int family = h.get(0) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int dstLen = h.get(1) & 0xff;
        int table = h.get(4) & 0xff;
        int protocol = h.get(5) & 0xff;
        int scope = h.get(6) & 0xff;
        int rtType = h.get(7) & 0xff;
        int flags = h.getInt(8);
        NlAttrs a = m.attributes(Nl.RTMSG_LEN);
        byte[] dstBytes = a.has(Nl.RTA_DST) ? a.bytes(Nl.RTA_DST) : new byte[family == Nl.AF_INET ? 4 : 16];
        InetAddress dst = AddressMessages.inet(family, dstBytes, "rtmsg RTA_DST");
        InetAddress gw = a.has(Nl.RTA_GATEWAY)
                ? AddressMessages.inet(family, a.bytes(Nl.RTA_GATEWAY), "rtmsg RTA_GATEWAY")
                : null;
        int oif = a.has(Nl.RTA_OIF) ? a.u32(Nl.RTA_OIF) : 0;
        int priority = a.has(Nl.RTA_PRIORITY) ? a.u32(Nl.RTA_PRIORITY) : 0;
        if (a.has(Nl.RTA_TABLE)) {
            table = a.u32(Nl.RTA_TABLE);
        }
        InetAddress src = a.has(Nl.RTA_PREFSRC)
                ? AddressMessages.inet(family, a.bytes(Nl.RTA_PREFSRC), "rtmsg RTA_PREFSRC")
                : null;
        int mtu = 0;
        int advmss = 0;
        int hopLimit = 0;
        if (a.has(RTA_METRICS)) {
            NlAttrs metrics = a.nested(RTA_METRICS);
            mtu = metrics.has(RTAX_MTU) ? metrics.u32(RTAX_MTU) : 0;
            advmss = metrics.has(RTAX_ADVMSS) ? metrics.u32(RTAX_ADVMSS) : 0;
            hopLimit = metrics.has(RTAX_HOPLIMIT) ? metrics.u32(RTAX_HOPLIMIT) : 0;
        }
        try {
            IpPrefix prefix = new IpPrefix(dst, dstLen);
            return new Route(
                    prefix, gw, oif, scope, table, protocol, rtType, flags, priority, src, mtu, advmss, hopLimit, 0);
        } catch (IllegalArgumentException e) {
            throw new NetlinkFormatException("rtmsg", e.getMessage());
        }
    }
}
