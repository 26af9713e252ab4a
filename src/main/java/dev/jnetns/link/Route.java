package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route, both as read by {@link Rtnl#routes()} and as a request for {@link Rtnl#addRoute(Route)} /
 * {@link Rtnl#deleteRoute(Route)}. Build requests with {@link #to(String)} or {@link #defaultVia(String)} and the
 * {@code with}-style methods, which return new instances:
 *
 * <pre>{@code
 * rtnl.addRoute(Route.defaultVia("10.1.0.2"));
 * rtnl.addRoute(Route.to("10.9.0.0/16").via("10.1.0.2").dev(veth));
 * rtnl.addRoute(Route.to("192.0.2.0/24").dev(veth));                 // on-link, scope link
 * rtnl.addRoute(Route.to("10.8.0.0/16").via("172.16.0.1").dev(veth).onLink()); // RTNH_F_ONLINK
 * }</pre>
 *
 * @param destination the destination prefix ({@code 0.0.0.0/0} or {@code ::/0} for a default route)
 * @param gateway the next hop, or {@code null} for a directly connected route
 * @param oifIndex the output link's index, 0 to let the kernel pick it from the gateway
 * @param scope {@link #SCOPE_UNIVERSE}, {@link #SCOPE_LINK}, {@link #SCOPE_HOST}, or {@link #SCOPE_AUTO} in a
 *     request (link scope without a gateway, universe with one)
 * @param table the routing table, {@link #TABLE_MAIN} by default
 * @param protocol who installed it ({@code RTPROT_*}: 2 kernel, 3 boot...)
 * @param type the route type ({@code RTN_*}: 1 unicast, 2 local...)
 * @param flags the {@code RTNH_F_*} flags, e.g. {@code RTNH_F_ONLINK} (4)
 * @param priority the metric, 0 for the kernel's default
 * @param oifNetnsIno the inode of the namespace {@code oifIndex} is an index of (the one the link or route was
 *     read from), 0 if not known; a handle refuses a route whose link is of another namespace than its own
 */
public record Route(
        IpPrefix destination,
        InetAddress gateway,
        int oifIndex,
        int scope,
        int table,
        int protocol,
        int type,
        int flags,
        int priority,
        long oifNetnsIno) {

    /** Scope universe (global). */
    public static final int SCOPE_UNIVERSE = 0;
    /** Scope link: the destination is directly on the link. */
    public static final int SCOPE_LINK = 253;
    /** Scope host. */
    public static final int SCOPE_HOST = 254;
    /** In a request: link scope without a gateway, universe with one. */
    public static final int SCOPE_AUTO = -1;
    /** The main routing table. */
    public static final int TABLE_MAIN = Nl.RT_TABLE_MAIN;

    /** Checks that the gateway's family matches the destination's. */
    public Route {
        Objects.requireNonNull(destination, "destination");
        if (gateway != null && (gateway instanceof Inet6Address) != destination.isIpv6()) {
            throw new IllegalArgumentException(
                    "gateway " + IpPrefix.format(gateway) + " and destination " + destination + " differ in family");
        }
    }

    /**
     * A unicast route request to {@code cidr} in the main table (the host bits are cleared).
     *
     * @param cidr e.g. {@code 10.2.0.0/24}, {@code fd00:2::/64}
     * @throws IllegalArgumentException if the CIDR is invalid
     */
    public static Route to(String cidr) {
        return to(IpPrefix.parse(cidr));
    }

    /** A unicast route request to {@code prefix} in the main table (the host bits are cleared). */
    public static Route to(IpPrefix prefix) {
        return new Route(prefix.network(), null, 0, SCOPE_AUTO, TABLE_MAIN, Nl.RTPROT_BOOT, Nl.RTN_UNICAST, 0, 0, 0);
    }

    /**
     * A default route request ({@code 0.0.0.0/0} or {@code ::/0}, by the gateway's family) via {@code gateway}.
     *
     * @param gateway a numeric IPv4 or IPv6 address
     */
    public static Route defaultVia(String gateway) {
        InetAddress gw = IpPrefix.parseAddress(gateway);
        return to(gw instanceof Inet6Address ? "::/0" : "0.0.0.0/0").via(gw);
    }

    /** This route with next hop {@code gateway} (a numeric address). */
    public Route via(String gateway) {
        return via(IpPrefix.parseAddress(gateway));
    }

    /** This route with next hop {@code gateway}. */
    public Route via(InetAddress gateway) {
        return new Route(destination, gateway, oifIndex, scope, table, protocol, type, flags, priority, oifNetnsIno);
    }

    /** This route through {@code link}, which must be of the namespace of the handle the route is given to. */
    public Route dev(Link link) {
        Objects.requireNonNull(link, "link");
        return new Route(
                destination, gateway, link.index(), scope, table, protocol, type, flags, priority, link.netnsIno());
    }

    /** This route with {@code RTNH_F_ONLINK}: the gateway is on the link even if no prefix there covers it. */
    public Route onLink() {
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags | Nl.RTNH_F_ONLINK,
                priority,
                oifNetnsIno);
    }

    /** This route with the given metric. */
    public Route metric(int metric) {
        return new Route(destination, gateway, oifIndex, scope, table, protocol, type, flags, metric, oifNetnsIno);
    }

    /** This route in another table. */
    public Route table(int table) {
        return new Route(destination, gateway, oifIndex, scope, table, protocol, type, flags, priority, oifNetnsIno);
    }

    /** This route as read from the namespace {@code ino}. */
    Route readFrom(long ino) {
        return oifIndex == 0
                ? this
                : new Route(destination, gateway, oifIndex, scope, table, protocol, type, flags, priority, ino);
    }

    /** Whether {@code RTNH_F_ONLINK} is set. */
    public boolean isOnLink() {
        return (flags & Nl.RTNH_F_ONLINK) != 0;
    }

    /** Whether the destination is {@code 0.0.0.0/0} or {@code ::/0}. */
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    /** The scope a request will use: {@link #scope()} unless {@link #SCOPE_AUTO}. */
    int effectiveScope() {
        if (scope != SCOPE_AUTO) {
            return scope;
        }
        return gateway == null && !destination.isIpv6() ? SCOPE_LINK : SCOPE_UNIVERSE;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(isDefault() ? "default" : destination.toString());
        if (gateway != null) {
            s.append(" via ").append(IpPrefix.format(gateway));
        }
        if (oifIndex != 0) {
            s.append(" dev ").append(oifIndex);
        }
        if (isOnLink()) {
            s.append(" onlink");
        }
        s.append(" table ").append(table);
        if (scope != SCOPE_AUTO) {
            s.append(" scope ").append(scope);
        }
        if (priority != 0) {
            s.append(" metric ").append(priority);
        }
        return s.toString();
    }
}
