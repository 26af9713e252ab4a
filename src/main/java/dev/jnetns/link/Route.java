package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route, both as read by {@link Rtnl#routes()} / {@link Rtnl#routeGet(String)} and as a request for
 * {@link Rtnl#addRoute(Route)}, {@link Rtnl#replaceRoute(Route)}, {@link Rtnl#changeRoute(Route)} and
 * {@link Rtnl#deleteRoute(Route)}. Build requests with {@link #to(String)}, {@link #defaultVia(String)},
 * {@link #blackhole(String)}, {@link #unreachable(String)} or {@link #prohibit(String)} and the {@code with}-style
 * methods, which return new instances:
 *
 * <pre>{@code
 * rtnl.addRoute(Route.defaultVia("10.1.0.2"));
 * rtnl.addRoute(Route.to("10.9.0.0/16").via("10.1.0.2").dev(veth));
 * rtnl.addRoute(Route.to("192.0.2.0/24").dev(veth));                 // on-link, scope link
 * rtnl.addRoute(Route.to("10.8.0.0/16").via("172.16.0.1").dev(veth).onLink()); // RTNH_F_ONLINK
 * rtnl.addRoute(Route.to("10.7.0.0/16").via("10.1.0.2").src("10.1.0.1").mtu(1400).table(100));
 * rtnl.addRoute(Route.blackhole("10.66.0.0/16"));                    // no gateway, no link
 * }</pre>
 *
 * @param destination the destination prefix ({@code 0.0.0.0/0} or {@code ::/0} for a default route)
 * @param gateway the next hop, or {@code null} for a directly connected route
 * @param oifIndex the output link's index, 0 to let the kernel pick it from the gateway
 * @param scope {@link #SCOPE_UNIVERSE}, {@link #SCOPE_LINK}, {@link #SCOPE_HOST}, or {@link #SCOPE_AUTO} in a
 *     request (as {@code ip route}: host for {@link #RTN_LOCAL}, link for a unicast IPv4 route without a
 *     gateway, universe otherwise)
 * @param table the routing table, {@link #TABLE_MAIN} by default ({@code RTA_TABLE}, so tables above 255 work)
 * @param protocol who installed it: {@link #RTPROT_BOOT} (the default of a request, as {@code ip route}),
 *     {@link #RTPROT_KERNEL}, {@link #RTPROT_STATIC}...
 * @param type the route type: {@link #RTN_UNICAST}, {@link #RTN_LOCAL}, {@link #RTN_BLACKHOLE}...
 * @param flags the {@code RTNH_F_*} flags, e.g. {@code RTNH_F_ONLINK} (4)
 * @param priority the metric, 0 for the kernel's default
 * @param preferredSource the source address the kernel prefers for traffic on this route ({@code RTA_PREFSRC},
 *     {@code ip route ... src}), or {@code null}
 * @param mtu the path MTU ({@code RTAX_MTU} in {@code RTA_METRICS}), 0 if not set
 * @param advmss the TCP MSS advertised ({@code RTAX_ADVMSS}), 0 if not set
 * @param hopLimit the hop limit / TTL of packets on this route ({@code RTAX_HOPLIMIT}), 0 if not set
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
        InetAddress preferredSource,
        int mtu,
        int advmss,
        int hopLimit,
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
    /** The local table: the kernel's routes to the namespace's own and broadcast addresses. */
    public static final int TABLE_LOCAL = 255;
    /** In {@link Rtnl#routes(int)}: every table ({@code RT_TABLE_UNSPEC}, as {@code ip route show table all}). */
    public static final int TABLE_ALL = 0;

    /** Type: a route to a gateway or a directly connected destination. */
    public static final int RTN_UNICAST = 1;
    /** Type: a local address (the local table). */
    public static final int RTN_LOCAL = 2;
    /** Type: a broadcast address (the local table). */
    public static final int RTN_BROADCAST = 3;
    /** Type: an anycast address. */
    public static final int RTN_ANYCAST = 4;
    /** Type: a multicast route. */
    public static final int RTN_MULTICAST = 5;
    /** Type: packets are silently dropped. */
    public static final int RTN_BLACKHOLE = 6;
    /** Type: packets are dropped and the sender gets {@code EHOSTUNREACH} (ICMP host unreachable). */
    public static final int RTN_UNREACHABLE = 7;
    /** Type: packets are dropped and the sender gets {@code EACCES} (ICMP administratively prohibited). */
    public static final int RTN_PROHIBIT = 8;
    /** Type: the lookup goes on in the next rule's table. */
    public static final int RTN_THROW = 9;

    /** Protocol: unknown. */
    public static final int RTPROT_UNSPEC = 0;
    /** Protocol: installed by ICMP redirects. */
    public static final int RTPROT_REDIRECT = 1;
    /** Protocol: installed by the kernel (e.g. for an address's prefix). */
    public static final int RTPROT_KERNEL = 2;
    /** Protocol: installed during boot; the default of a request, as with {@code ip route add}. */
    public static final int RTPROT_BOOT = Nl.RTPROT_BOOT;
    /** Protocol: installed by the administrator. */
    public static final int RTPROT_STATIC = 4;

    /** The largest MTU the kernel stores as is (it silently lowers larger values to this). */
    public static final int MAX_MTU = 65535 - 15;
    /** The largest advertised MSS the kernel stores as is (it silently lowers larger values to this). */
    public static final int MAX_ADVMSS = 65535 - 40;

    /**
     * Checks that the gateway's and preferred source's families match the destination's, that a blackhole,
     * unreachable, prohibit or throw route has no gateway (the kernel refuses one with EINVAL; {@link #dev(Link)}
     * and {@link #type(int)} refuse a link for them too, but the kernel reports IPv6 ones with {@code lo}), and
     * that the metrics are in range (0 meaning not set).
     */
    public Route {
        Objects.requireNonNull(destination, "destination");
        if (gateway != null && (gateway instanceof Inet6Address) != destination.isIpv6()) {
            throw new IllegalArgumentException(
                    "gateway " + IpPrefix.format(gateway) + " and destination " + destination + " differ in family");
        }
        if (preferredSource != null && (preferredSource instanceof Inet6Address) != destination.isIpv6()) {
            throw new IllegalArgumentException("src " + IpPrefix.format(preferredSource) + " and destination "
                    + destination + " differ in family");
        }
        if (isErrorType(type) && gateway != null) {
            throw new IllegalArgumentException("a " + typeName(type) + " route to " + destination
                    + " takes no gateway, but has gateway " + IpPrefix.format(gateway));
        }
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("type must be 0..255, was " + type);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
        }
        if (scope < SCOPE_AUTO || scope > 255) {
            throw new IllegalArgumentException("scope must be 0..255 or SCOPE_AUTO, was " + scope);
        }
        checkMetric("mtu", mtu, MAX_MTU, true);
        checkMetric("advmss", advmss, MAX_ADVMSS, true);
        checkMetric("hopLimit", hopLimit, 255, true);
    }

    private static void checkMetric(String name, int value, int max, boolean zeroAllowed) {
        if (value < (zeroAllowed ? 0 : 1) || value > max) {
            throw new IllegalArgumentException(
                    name + " must be " + (zeroAllowed ? "0" : "1") + ".." + max + ", was " + value);
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
        return new Route(
                prefix.network(),
                null,
                0,
                SCOPE_AUTO,
                TABLE_MAIN,
                Nl.RTPROT_BOOT,
                Nl.RTN_UNICAST,
                0,
                0,
                null,
                0,
                0,
                0,
                0);
    }

    /**
     * A blackhole route request: packets to {@code cidr} are silently dropped ({@code ip route add blackhole}).
     *
     * @param cidr e.g. {@code 10.66.0.0/16}
     */
    public static Route blackhole(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        return to(cidr).type(RTN_BLACKHOLE);
    }

    /**
     * An unreachable route request: packets to {@code cidr} are dropped and senders get {@code EHOSTUNREACH}.
     *
     * @param cidr e.g. {@code 10.66.0.0/16}
     */
    public static Route unreachable(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        return to(cidr).type(RTN_UNREACHABLE);
    }

    /**
     * A prohibit route request: packets to {@code cidr} are dropped and senders get {@code EACCES}.
     *
     * @param cidr e.g. {@code 10.66.0.0/16}
     */
    public static Route prohibit(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        return to(cidr).type(RTN_PROHIBIT);
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
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /** This route through {@code link}, which must be of the namespace of the handle the route is given to. */
    public Route dev(Link link) {
        Objects.requireNonNull(link, "link");
        refuseLink(type, link.index());
        return new Route(
                destination,
                gateway,
                link.index(),
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                link.netnsIno());
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
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /** This route with the given metric. */
    public Route metric(int metric) {
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                metric,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route in another table.
     *
     * @param table 1 or more, e.g. {@code 100} or {@code 1000} ({@code ip route ... table 0} means the main
     *     table to the kernel: say {@link #TABLE_MAIN})
     * @throws IllegalArgumentException if {@code table} is 0 or negative
     */
    public Route table(int table) {
        if (table <= 0) {
            throw new IllegalArgumentException(
                    "table must be positive (TABLE_MAIN is " + TABLE_MAIN + "), was " + table);
        }
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with another type ({@code ip route add TYPE ...}).
     *
     * @param type e.g. {@link #RTN_BLACKHOLE}, {@link #RTN_UNREACHABLE}, {@link #RTN_PROHIBIT}, {@link #RTN_LOCAL}
     * @throws IllegalArgumentException if {@code type} is not 1..255, or takes no gateway or link and this route
     *     has one
     */
    public Route type(int type) {
        if (type <= 0 || type > 255) {
            throw new IllegalArgumentException("type must be 1..255, was " + type);
        }
        refuseLink(type, oifIndex);
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with the given scope instead of the automatic one.
     *
     * @param scope 0..255, e.g. {@link #SCOPE_LINK}
     */
    public Route scope(int scope) {
        if (scope < 0 || scope > 255) {
            throw new IllegalArgumentException("scope must be 0..255, was " + scope);
        }
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with the given protocol (who installed it) instead of {@link #RTPROT_BOOT}.
     *
     * @param protocol 0..255, e.g. {@link #RTPROT_STATIC}
     */
    public Route protocol(int protocol) {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255, was " + protocol);
        }
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with a preferred source address ({@code ip route ... src}); the kernel refuses one that is not
     * an address of the namespace with {@code EINVAL}.
     *
     * @param source a numeric address of the destination's family
     */
    public Route src(String source) {
        Objects.requireNonNull(source, "source");
        return src(IpPrefix.parseAddress(source));
    }

    /**
     * This route with a preferred source address.
     *
     * @param source an address of the destination's family
     */
    public Route src(InetAddress source) {
        Objects.requireNonNull(source, "source");
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                source,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with a path MTU ({@code ip route ... mtu}).
     *
     * @param mtu 1..{@link #MAX_MTU} (the kernel would silently lower a larger value)
     */
    public Route mtu(int mtu) {
        checkMetric("mtu", mtu, MAX_MTU, false);
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with an advertised TCP MSS ({@code ip route ... advmss}).
     *
     * @param advmss 1..{@link #MAX_ADVMSS} (the kernel would silently lower a larger value)
     */
    public Route advmss(int advmss) {
        checkMetric("advmss", advmss, MAX_ADVMSS, false);
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /**
     * This route with a hop limit ({@code ip route ... hoplimit}): the TTL of IPv4 packets, the hop limit of
     * IPv6 ones.
     *
     * @param hopLimit 1..255
     */
    public Route hopLimit(int hopLimit) {
        checkMetric("hopLimit", hopLimit, 255, false);
        return new Route(
                destination,
                gateway,
                oifIndex,
                scope,
                table,
                protocol,
                type,
                flags,
                priority,
                preferredSource,
                mtu,
                advmss,
                hopLimit,
                oifNetnsIno);
    }

    /** This route as read from the namespace {@code ino}. */
    Route readFrom(long ino) {
        return oifIndex == 0
                ? this
                : new Route(
                        destination,
                        gateway,
                        oifIndex,
                        scope,
                        table,
                        protocol,
                        type,
                        flags,
                        priority,
                        preferredSource,
                        mtu,
                        advmss,
                        hopLimit,
                        ino);
    }

    /** Whether {@code RTNH_F_ONLINK} is set. */
    public boolean isOnLink() {
        return (flags & Nl.RTNH_F_ONLINK) != 0;
    }

    /** Whether the destination is {@code 0.0.0.0/0} or {@code ::/0}. */
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    /** Whether the metrics attribute has something to say. */
    boolean hasMetrics() {
        return mtu != 0 || advmss != 0 || hopLimit != 0;
    }

    /** The scope a request will use: {@link #scope()} unless {@link #SCOPE_AUTO}, then as {@code ip route}. */
    int effectiveScope() {
        if (scope != SCOPE_AUTO) {
            return scope;
        }
        return switch (type) {
            case RTN_LOCAL -> SCOPE_HOST;
            case RTN_BROADCAST, RTN_MULTICAST, RTN_ANYCAST -> SCOPE_LINK;
            case RTN_UNICAST -> gateway == null && !destination.isIpv6() ? SCOPE_LINK : SCOPE_UNIVERSE;
            default -> SCOPE_UNIVERSE;
        };
    }

    private void refuseLink(int type, int index) {
        if (isErrorType(type) && index != 0) {
            throw new IllegalArgumentException(
                    "a " + typeName(type) + " route to " + destination + " takes no link, but has link index " + index);
        }
    }

    /** Types that drop packets: no gateway, no link. */
    private static boolean isErrorType(int type) {
        return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE || type == RTN_PROHIBIT || type == RTN_THROW;
    }

    /**
     * A type's name as {@code ip route} prints it, e.g. {@code blackhole}; the number for types it has no name
     * for.
     *
     * @param type an {@code RTN_*} value
     * @return the name
     */
    public static String typeName(int type) {
        return switch (type) {
            case 0 -> "unspec";
            case RTN_UNICAST -> "unicast";
            case RTN_LOCAL -> "local";
            case RTN_BROADCAST -> "broadcast";
            case RTN_ANYCAST -> "anycast";
            case RTN_MULTICAST -> "multicast";
            case RTN_BLACKHOLE -> "blackhole";
            case RTN_UNREACHABLE -> "unreachable";
            case RTN_PROHIBIT -> "prohibit";
            case RTN_THROW -> "throw";
            case 10 -> "nat";
            case 11 -> "xresolve";
            default -> String.valueOf(type);
        };
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (type != RTN_UNICAST) {
            s.append(typeName(type)).append(' ');
        }
        s.append(isDefault() ? "default" : destination.toString());
        if (gateway != null) {
            s.append(" via ").append(IpPrefix.format(gateway));
        }
        if (oifIndex != 0) {
            s.append(" dev ").append(oifIndex);
        }
        if (isOnLink()) {
            s.append(" onlink");
        }
        s.append(" table ").append(Integer.toUnsignedString(table));
        if (scope != SCOPE_AUTO) {
            s.append(" scope ").append(scope);
        }
        if (protocol != RTPROT_BOOT) {
            s.append(" proto ").append(protocol);
        }
        if (priority != 0) {
            s.append(" metric ").append(Integer.toUnsignedString(priority));
        }
        if (preferredSource != null) {
            s.append(" src ").append(IpPrefix.format(preferredSource));
        }
        if (mtu != 0) {
            s.append(" mtu ").append(mtu);
        }
        if (advmss != 0) {
            s.append(" advmss ").append(advmss);
        }
        if (hopLimit != 0) {
            s.append(" hoplimit ").append(hopLimit);
        }
        return s.toString();
    }
}
