package dev.jnetns.assertj;

import dev.jnetns.NsFd;
import dev.jnetns.link.Address;
import dev.jnetns.link.IpPrefix;
import dev.jnetns.link.Link;
import dev.jnetns.link.Neighbour;
import dev.jnetns.link.Route;
import dev.jnetns.link.Rtnl;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a network namespace, given by an open handle: its links, addresses and routes (the main table),
 * read from the kernel over rtnetlink at each check. Each check opens a handle in the namespace and closes it
 * before returning.
 *
 * <pre>{@code
 * assertThat(ns).hasLink("veth0").hasOnlyLinks("lo", "veth0").hasRouteTo("0.0.0.0/0").hasAddress("10.1.0.1/24");
 * assertThat(ns).link("veth0").isUp().hasMtu(1500);
 * }</pre>
 *
 * <p>Failure messages show what the namespace has, e.g. {@code Expecting net:[4026532177] to have only links [lo,
 * eth0] but it has [lo, eth0, br0]}. Descriptions ({@code as(...)}) are honoured, and the class works with soft
 * assertions: {@code softly.proxy(NetnsAssert.class, NsFd.class, ns)} or {@link NetnsSoftAssertions}.
 */
public class NetnsAssert extends AbstractAssert<NetnsAssert, NsFd> {

    /**
     * Creates the assertion; prefer {@link NetnsAssertions#assertThat(NsFd)}.
     *
     * @param actual an open handle to the namespace (it stays the caller's to close)
     */
    public NetnsAssert(NsFd actual) {
        super(actual, NetnsAssert.class);
    }

    /** Runs {@code fn} with a handle to the namespace, opened for it and closed afterwards. */
    private <T> T read(Function<Rtnl, T> fn) {
        isNotNull();
        if (!actual.isOpen()) {
            throw failure("Expecting an open handle to %s, but it is closed", name());
        }
        try (Rtnl rtnl = Rtnl.open(actual)) {
            return fn.apply(rtnl);
        }
    }

    private String name() {
        return State.netns(actual.ino());
    }

    private static List<String> linkNames(List<Link> links) {
        List<String> out = new ArrayList<>();
        for (Link l : links) {
            out.add(l.name());
        }
        return out;
    }

    // ---------------------------------------------------------------- links

    /**
     * Verifies that the namespace has a link named {@code name}.
     *
     * @param name the interface name
     * @return this assertion
     */
    public NetnsAssert hasLink(String name) {
        Objects.requireNonNull(name, "name");
        List<Link> links = read(Rtnl::links);
        if (links.stream().noneMatch(l -> l.name().equals(name))) {
            throw failure("Expecting %s to have link \"%s\" but it has %s", name(), name, linkNames(links));
        }
        return myself;
    }

    /**
     * Verifies that the namespace has no link named {@code name}.
     *
     * @param name the interface name
     * @return this assertion
     */
    public NetnsAssert doesNotHaveLink(String name) {
        Objects.requireNonNull(name, "name");
        List<Link> links = read(Rtnl::links);
        Optional<Link> found = links.stream().filter(l -> l.name().equals(name)).findFirst();
        if (found.isPresent()) {
            throw failure(
                    "Expecting %s not to have link \"%s\" but it has: %s (all links: %s)",
                    name(), name, found.get(), linkNames(links));
        }
        return myself;
    }

    /**
     * Verifies that the namespace's links are exactly these, in any order.
     *
     * @param names the interface names, e.g. {@code "lo", "veth0"}
     * @return this assertion
     */
    public NetnsAssert hasOnlyLinks(String... names) {
        Objects.requireNonNull(names, "names");
        Set<String> expected = new LinkedHashSet<>(Arrays.asList(names));
        List<String> actualNames = linkNames(read(Rtnl::links));
        if (!expected.equals(new LinkedHashSet<>(actualNames))) {
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(actualNames);
            List<String> unexpected = new ArrayList<>(actualNames);
            unexpected.removeAll(expected);
            throw failure(
                    "Expecting %s to have only links %s but it has %s (missing: %s, unexpected: %s)",
                    name(), expected, actualNames, missing, unexpected);
        }
        return myself;
    }

    /**
     * Navigates to the link named {@code name}: checks that it exists and returns assertions on it, bound to
     * this namespace (see {@link LinkAssert#in(NsFd)}) and carrying this assertion's description. In soft
     * assertions the returned object is not a soft proxy (AssertJ only proxies its own navigation methods): use
     * {@code softly.assertThat(link).in(ns)} there.
     *
     * @param name the interface name
     * @return assertions on that link
     */
    public LinkAssert link(String name) {
        Objects.requireNonNull(name, "name");
        List<Link> links = read(Rtnl::links);
        Link link =
                links.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
        if (link == null) {
            throw failure("Expecting %s to have link \"%s\" but it has %s", name(), name, linkNames(links));
        }
        LinkAssert next = new LinkAssert(link).in(actual).withRepresentation(info.representation());
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            next.as(info.description());
        }
        return next;
    }

    // ---------------------------------------------------------------- addresses and routes

    /**
     * Verifies that some link of the namespace has the address, with this very prefix length.
     *
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     * @return this assertion
     * @throws IllegalArgumentException if {@code cidr} is not a valid CIDR
     */
    public NetnsAssert hasAddress(String cidr) {
        IpPrefix expected = IpPrefix.parse(cidr);
        List<String> found = read(rtnl -> {
            List<Address> addresses = rtnl.addresses();
            if (addresses.stream().anyMatch(a -> State.samePrefix(a.prefix(), expected))) {
                return null;
            }
            return State.addressesOnLinks(addresses, State.names(rtnl.links()));
        });
        if (found != null) {
            throw failure("Expecting %s to have address %s (on any link) but it has %s", name(), expected, found);
        }
        return myself;
    }

    /**
     * Verifies that the namespace's neighbour table (ARP, NDP) maps {@code ip} to {@code mac} on some link, in a
     * state that is neither {@code FAILED} nor {@code INCOMPLETE}, e.g. after {@code rtnl.addNeighbour(...)} or
     * once traffic resolved it.
     *
     * @param ip a numeric IPv4 or IPv6 address
     * @param mac e.g. {@code 02:00:00:00:00:02} (either case)
     * @return this assertion
     * @throws IllegalArgumentException if {@code ip} is not a numeric address or {@code mac} not six hex pairs
     */
    public NetnsAssert hasNeighbour(String ip, String mac) {
        InetAddress expected = IpPrefix.parseAddress(Objects.requireNonNull(ip, "ip"));
        Objects.requireNonNull(mac, "mac");
        if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("invalid MAC address \"" + mac + "\": expected aa:bb:cc:dd:ee:ff");
        }
        String lower = mac.toLowerCase(Locale.ROOT);
        int unusable = Neighbour.FAILED | Neighbour.INCOMPLETE;
        List<String> found = read(rtnl -> {
            List<Neighbour> all = rtnl.neighbours();
            if (all.stream()
                    .anyMatch(n ->
                            n.address().equals(expected) && lower.equals(n.mac()) && (n.state() & unusable) == 0)) {
                return null;
            }
            Map<Integer, String> names = State.names(rtnl.links());
            List<String> out = new ArrayList<>();
            for (Neighbour n : all) {
                out.add(IpPrefix.format(n.address()) + (n.mac() != null ? " lladdr " + n.mac() : "") + " dev "
                        + names.getOrDefault(n.linkIndex(), "#" + n.linkIndex()) + " " + n.stateName());
            }
            return out;
        });
        if (found != null) {
            throw failure(
                    "Expecting %s to have neighbour %s lladdr %s but its neighbours are %s",
                    name(), IpPrefix.format(expected), lower, found);
        }
        return myself;
    }

    /**
     * Verifies that the main routing table has a route whose destination is exactly {@code cidr} (address and
     * prefix length). {@code "0.0.0.0/0"} and {@code "::/0"} mean the IPv4 and IPv6 default routes.
     *
     * @param cidr e.g. {@code 10.9.0.0/16}, {@code fd00:9::/64}, {@code 0.0.0.0/0}
     * @return this assertion
     * @throws IllegalArgumentException if {@code cidr} is not a valid CIDR
     */
    public NetnsAssert hasRouteTo(String cidr) {
        IpPrefix expected = IpPrefix.parse(cidr);
        List<String> found = read(rtnl -> {
            List<Route> routes = rtnl.routes();
            if (routes.stream().anyMatch(r -> State.samePrefix(r.destination(), expected))) {
                return null;
            }
            Map<Integer, String> names = State.names(rtnl.links());
            return State.routes(routes, names);
        });
        if (found != null) {
            throw failure(
                    "Expecting %s to have a route to %s but its routes are %s",
                    name(), expected.prefixLength() == 0 ? expected + " (default)" : expected, found);
        }
        return myself;
    }
    /**
     * Navigates to the routes to exactly {@code cidr}, in any table: checks that there is one and returns
     * assertions that narrow them down ({@link RouteAssert#via(String)}, {@link RouteAssert#dev(String)},
     * {@link RouteAssert#inTable(int)}...). {@link #hasRouteTo(String)} looks in the main table only and returns
     * this assertion, to go on with the namespace. As with {@link #link(String)}, the returned object is not a
     * soft proxy.
     *
     * @param cidr e.g. {@code 10.9.0.0/16}, {@code fd00:9::/64}, {@code 0.0.0.0/0}
     * @return assertions on those routes
     * @throws IllegalArgumentException if {@code cidr} is not a valid CIDR
     */
    public RouteAssert route(String cidr) {
        IpPrefix expected = IpPrefix.parse(Objects.requireNonNull(cidr, "cidr"));
        RouteAssert found = read(rtnl -> {
            List<Route> all = rtnl.routes(Route.TABLE_ALL);
            Map<Integer, String> names = State.names(rtnl.links());
            List<Route> matching = all.stream()
                    .filter(r -> State.samePrefix(r.destination(), expected))
                    .toList();
            if (matching.isEmpty()) {
                List<Route> shown =
                        all.stream().filter(r -> r.table() != Route.TABLE_LOCAL).toList();
                throw failure(
                        "Expecting %s to have a route to %s (in any table) but its routes (but for the local table)"
                                + " are %s",
                        name(), expected, RouteAssert.describe(shown, names));
            }
            return new RouteAssert(matching, name(), expected, names);
        });
        RouteAssert next = found.withRepresentation(info.representation());
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            next.as(info.description());
        }
        return next;
    }
}
