package dev.jnetns.assertj;

import dev.jnetns.link.IpPrefix;
import dev.jnetns.link.Route;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the routes of a namespace to one destination, in any table, reached with
 * {@link NetnsAssert#route(String)}. Each check keeps only the routes that pass it, so that a chain describes one
 * route:
 *
 * <pre>{@code
 * assertThat(ns).route("10.9.0.0/16").via("10.1.0.2").dev("veth0").withMtu(1400).inTable(100);
 * assertThat(ns).route("10.66.0.0/16").ofType(Route.RTN_BLACKHOLE);
 * }</pre>
 *
 * <p>Unlike {@link LinkAssert}, the routes are those read when {@link NetnsAssert#route(String)} was called (one
 * snapshot for the whole chain). Failure messages show the routes to the destination, e.g. {@code Expecting
 * net:[4026532177] to have a route to 10.9.0.0/16 via 10.1.0.3 but its routes to 10.9.0.0/16 are [10.9.0.0/16 via
 * 10.1.0.2 dev a0 table main proto boot scope universe]}.
 */
public class RouteAssert extends AbstractAssert<RouteAssert, List<Route>> {
    private final String netns;
    private final IpPrefix destination;
    private final Map<Integer, String> names;
    private final List<String> checked = new ArrayList<>();
    private List<Route> candidates;

    RouteAssert(List<Route> routes, String netns, IpPrefix destination, Map<Integer, String> names) {
        super(routes, RouteAssert.class);
        this.netns = netns;
        this.destination = destination;
        this.names = names;
        this.candidates = routes;
    }

    /**
     * Verifies that a route has this next hop.
     *
     * @param gateway a numeric address
     * @return this assertion
     */
    public RouteAssert via(String gateway) {
        InetAddress gw = IpPrefix.parseAddress(Objects.requireNonNull(gateway, "gateway"));
        return keep("via " + IpPrefix.format(gw), r -> gw.equals(r.gateway()));
    }

    /**
     * Verifies that a route goes out through the link named {@code name}.
     *
     * @param name the interface name
     * @return this assertion
     */
    public RouteAssert dev(String name) {
        Objects.requireNonNull(name, "name");
        return keep("dev " + name, r -> name.equals(names.get(r.oifIndex())));
    }

    /**
     * Verifies that a route has this metric ({@link Route#priority()}; IPv6 routes get 1024 when added without).
     *
     * @param metric the metric
     * @return this assertion
     */
    public RouteAssert withMetric(int metric) {
        return keep("metric " + metric, r -> r.priority() == metric);
    }

    /**
     * Verifies that a route is of this type.
     *
     * @param type e.g. {@link Route#RTN_UNICAST}, {@link Route#RTN_BLACKHOLE}
     * @return this assertion
     */
    public RouteAssert ofType(int type) {
        return keep("of type " + Route.typeName(type), r -> r.type() == type);
    }

    /**
     * Verifies that a route has this preferred source address ({@code src}).
     *
     * @param source a numeric address
     * @return this assertion
     */
    public RouteAssert withSource(String source) {
        InetAddress src = IpPrefix.parseAddress(Objects.requireNonNull(source, "source"));
        return keep("src " + IpPrefix.format(src), r -> src.equals(r.preferredSource()));
    }

    /**
     * Verifies that a route is in this table.
     *
     * @param table e.g. {@link Route#TABLE_MAIN} or {@code 100}
     * @return this assertion
     */
    public RouteAssert inTable(int table) {
        return keep("in table " + tableName(table), r -> r.table() == table);
    }

    /**
     * Verifies that a route has this MTU metric.
     *
     * @param mtu the MTU
     * @return this assertion
     */
    public RouteAssert withMtu(int mtu) {
        return keep("mtu " + mtu, r -> r.mtu() == mtu);
    }

    /**
     * Verifies that a route was installed by this protocol.
     *
     * @param protocol e.g. {@link Route#RTPROT_STATIC}
     * @return this assertion
     */
    public RouteAssert withProtocol(int protocol) {
        return keep("proto " + protocol, r -> r.protocol() == protocol);
    }

    /**
     * Verifies that a route has this scope.
     *
     * @param scope e.g. {@link Route#SCOPE_LINK}
     * @return this assertion
     */
    public RouteAssert withScope(int scope) {
        return keep("scope " + scope, r -> r.scope() == scope);
    }

    private RouteAssert keep(String what, Predicate<Route> test) {
        isNotNull();
        checked.add(what);
        List<Route> kept = candidates.stream().filter(test).toList();
        if (kept.isEmpty()) {
            throw failure(
                    "Expecting %s to have a route to %s %s but its routes to %s are %s",
                    netns, destination, String.join(", ", checked), destination, describe(actual, names));
        }
        candidates = kept;
        return myself;
    }

    /** Routes as {@code ip route show table all} prints them, with names of links and tables. */
    static List<String> describe(List<Route> routes, Map<Integer, String> names) {
        List<String> out = new ArrayList<>();
        for (Route r : routes) {
            out.add(describe(r, names));
        }
        return out;
    }

    /** e.g. {@code blackhole 10.66.0.0/16 table main proto boot scope universe}. */
    static String describe(Route r, Map<Integer, String> names) {
        StringBuilder s = new StringBuilder();
        if (r.type() != Route.RTN_UNICAST) {
            s.append(Route.typeName(r.type())).append(' ');
        }
        s.append(r.isDefault() ? "default" : r.destination().toString());
        if (r.isDefault() && r.destination().isIpv6()) {
            s.append(" (::/0)");
        }
        if (r.gateway() != null) {
            s.append(" via ").append(IpPrefix.format(r.gateway()));
        }
        if (r.oifIndex() != 0) {
            s.append(" dev ").append(names.getOrDefault(r.oifIndex(), "index " + r.oifIndex()));
        }
        s.append(" table ").append(tableName(r.table()));
        s.append(" proto ").append(protocolName(r.protocol()));
        s.append(" scope ").append(scopeName(r.scope()));
        if (r.isOnLink()) {
            s.append(" onlink");
        }
        if (r.priority() != 0) {
            s.append(" metric ").append(Integer.toUnsignedString(r.priority()));
        }
        if (r.preferredSource() != null) {
            s.append(" src ").append(IpPrefix.format(r.preferredSource()));
        }
        if (r.mtu() != 0) {
            s.append(" mtu ").append(r.mtu());
        }
        if (r.advmss() != 0) {
            s.append(" advmss ").append(r.advmss());
        }
        if (r.hopLimit() != 0) {
            s.append(" hoplimit ").append(r.hopLimit());
        }
        return s.toString();
    }

    private static String tableName(int table) {
        return switch (table) {
            case Route.TABLE_MAIN -> "main";
            case Route.TABLE_LOCAL -> "local";
            default -> Integer.toUnsignedString(table);
        };
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case Route.RTPROT_REDIRECT -> "redirect";
            case Route.RTPROT_KERNEL -> "kernel";
            case Route.RTPROT_BOOT -> "boot";
            case Route.RTPROT_STATIC -> "static";
            default -> String.valueOf(protocol);
        };
    }

    private static String scopeName(int scope) {
        return switch (scope) {
            case Route.SCOPE_UNIVERSE -> "universe";
            case Route.SCOPE_LINK -> "link";
            case Route.SCOPE_HOST -> "host";
            default -> String.valueOf(scope);
        };
    }
}
