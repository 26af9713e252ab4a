package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table: each row is one wrong call on a fixture namespace (veth {@code v0}/{@code v1} up,
 * {@code 10.9.0.1/24} on {@code v0}, a tbf on {@code v1}). Each must throw the expected exception, whose message
 * names the call and the value, and for a kernel refusal the errno's name; and the namespace must look exactly as
 * before to {@code ip -j} and {@code tc -j}: links, addresses, routes and qdiscs.
 */
@ExtendWith(NoFdLeaks.class)
class BadInputTableTest {
    /** A wrong call on the fixture. */
    @FunctionalInterface
    interface Call {
        void on(Fixture f) throws Exception;
    }

    record Fixture(NsFd ns, Rtnl rtnl, Link lo, Link v0, Link v1) {}

    /** A row: the call; the exception's class; what its message must contain; the errno's name (null: none). */
    record Row(String what, Call call, Class<? extends Throwable> type, List<String> named, String errno) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Row kernel(String what, Call call, String errno, String... named) {
        return new Row(what, call, NetnsException.class, List.of(named), errno);
    }

    private static Row refused(String what, Call call, String... named) {
        return new Row(what, call, IllegalArgumentException.class, List.of(named), null);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // refused by the kernel: the errno, and the values that explain it
                kernel(
                        "veth with MTU 70000",
                        f -> f.rtnl().createVeth(LinkSpec.veth("x0").peer("x1").mtu(70000)),
                        "EINVAL",
                        "RTM_NEWLINK veth \"x0\"",
                        "mtu 70000"),
                kernel(
                        "veth with a multicast MAC",
                        f -> f.rtnl().createVeth(LinkSpec.veth("x0").peer("x1").mac("01:00:5e:00:00:01")),
                        "EADDRNOTAVAIL",
                        "RTM_NEWLINK veth \"x0\"",
                        "01:00:5e:00:00:01"),
                kernel(
                        "veth whose local name is taken",
                        f -> f.rtnl().createVeth(LinkSpec.veth("v0").peer("x1")),
                        "EEXIST",
                        "\"v0\" exists in net:["),
                kernel(
                        "veth whose peer name is taken",
                        f -> f.rtnl().createVeth(LinkSpec.veth("x0").peer("v1")),
                        "EEXIST",
                        "peer \"v1\" exists in net:["),
                kernel(
                        "bridge whose name is taken",
                        f -> f.rtnl().create(LinkSpec.bridge("v0")),
                        "EEXIST",
                        "RTM_NEWLINK bridge \"v0\""),
                kernel(
                        "macvlan on lo",
                        f -> f.rtnl().create(LinkSpec.macvlan("mv0", f.lo())),
                        "EINVAL",
                        "RTM_NEWLINK macvlan \"mv0\"",
                        "parent \"lo\" index 1"),
                kernel(
                        "a kind the kernel lacks",
                        f -> f.rtnl().create(LinkSpec.of("no-such-kind", "k0")),
                        "EOPNOTSUPP",
                        "RTM_NEWLINK no-such-kind \"k0\""),
                kernel(
                        "veth with 5000 transmit queues",
                        f -> f.rtnl().createVeth(LinkSpec.veth("x0").peer("x1").numTxQueues(5000)),
                        "EINVAL",
                        "RTM_NEWLINK veth \"x0\"",
                        "numtxqueues 5000",
                        "Invalid number of transmit queues"),
                kernel(
                        "veth enslaved at creation to a veth",
                        f -> f.rtnl().createVeth(LinkSpec.veth("x0").peer("x1").master(f.v1())),
                        "EOPNOTSUPP",
                        "RTM_NEWLINK veth \"x0\"",
                        "master \"v1\" index "),
                new Row(
                        "a master of another namespace at creation",
                        f -> {
                            try (NsFd other = Netns.newTransient();
                                    Rtnl there = Rtnl.open(other)) {
                                f.rtnl()
                                        .createVeth(
                                                LinkSpec.veth("x0").peer("x1").master(there.link("lo")));
                            }
                        },
                        NetnsException.class,
                        List.of("RTM_NEWLINK veth: master \"lo\" (index 1) was read from net:["),
                        null),
                kernel(
                        "kind data for a veth, which cannot change it",
                        f -> f.rtnl().modify(f.v0(), LinkSpec.of("veth", null).infoData(1, new byte[16])),
                        "EOPNOTSUPP",
                        "RTM_NEWLINK modify veth \"v0\"",
                        "raw IFLA_INFO_DATA types [1]"),
                kernel("MTU 70000 on a veth", f -> f.rtnl().setMtu(f.v0(), 70000), "EINVAL", "\"v0\" mtu 70000"),
                kernel("MTU 10 on a veth", f -> f.rtnl().setMtu(f.v0(), 10), "EINVAL", "\"v0\" mtu 10"),
                kernel(
                        "a multicast MAC on a veth",
                        f -> f.rtnl().setMac(f.v0(), "01:00:5e:00:00:01"),
                        "EADDRNOTAVAIL",
                        "\"v0\"",
                        "01:00:5e:00:00:01"),
                kernel("renaming onto a taken name", f -> f.rtnl().rename(f.v0(), "v1"), "EEXIST", "\"v0\"", "\"v1\""),
                kernel(
                        "enslaving a veth to a veth",
                        f -> f.rtnl().setMaster(f.v0(), f.v1()),
                        "EOPNOTSUPP",
                        "\"v0\"",
                        "\"v1\""),
                kernel("deleting lo", f -> f.rtnl().delete(f.lo()), "EOPNOTSUPP", "\"lo\""),
                kernel(
                        "an address twice",
                        f -> f.rtnl().addAddress(f.v0(), "10.9.0.1/24"),
                        "EEXIST",
                        "10.9.0.1/24",
                        "\"v0\""),
                kernel(
                        "deleting an address that is not there",
                        f -> f.rtnl().deleteAddress(f.v0(), "10.9.9.9/24"),
                        "EADDRNOTAVAIL",
                        "10.9.9.9/24"),
                kernel(
                        "a route through an unreachable gateway",
                        f -> f.rtnl()
                                .addRoute(
                                        Route.to("10.5.0.0/16").via("10.99.0.1").dev(f.v0())),
                        "ENETUNREACH",
                        "10.5.0.0/16 via 10.99.0.1"),
                kernel(
                        "deleting a route that is not there",
                        f -> f.rtnl().deleteRoute(Route.to("10.6.0.0/16")),
                        "ESRCH",
                        "10.6.0.0/16"),
                kernel(
                        "a route with a preferred source that is not an address here",
                        f -> f.rtnl()
                                .addRoute(
                                        Route.to("10.5.0.0/16").via("10.9.0.2").src("10.1.1.1")),
                        "EINVAL",
                        "10.5.0.0/16 via 10.9.0.2",
                        "src 10.1.1.1"),
                kernel(
                        "changing a route that is not there",
                        f -> f.rtnl().changeRoute(Route.to("10.6.0.0/16").via("10.9.0.2")),
                        "ENOENT",
                        "10.6.0.0/16 via 10.9.0.2"),
                kernel(
                        "routeGet with no route",
                        f -> f.rtnl().routeGet("10.99.0.1"),
                        "ENETUNREACH",
                        "RTM_GETROUTE get 10.99.0.1"),
                kernel(
                        "a second root qdisc",
                        f -> f.rtnl().addQdisc(f.v1(), QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(50))),
                        "EEXIST",
                        "\"v1\"",
                        "tbf"),
                kernel("a link that does not exist", f -> f.rtnl().link("nope0"), "ENODEV", "\"nope0\""),
                kernel("a link index that does not exist", f -> f.rtnl().link(999_999), "ENODEV", "999999"),
                kernel(
                        "a device file as a namespace",
                        f -> NsFd.ofPath("/dev/null"),
                        "EINVAL",
                        "/dev/null",
                        "a character device"),
                kernel("a directory as a namespace", f -> NsFd.ofPath("/proc"), "EINVAL", "/proc", "a directory"),
                kernel("a missing namespace file", f -> NsFd.ofPath("/nonexistent/ns"), "ENOENT", "/nonexistent/ns"),
                kernel(
                        "a mount namespace as a network namespace",
                        f -> NsFd.ofPath("/proc/self/ns/mnt"),
                        "EINVAL",
                        "/proc/self/ns/mnt",
                        "mnt namespace"),
                // refused before any syscall: the value, and why
                refused("a 16-byte link name", f -> LinkSpec.veth("sixteen-bytes-xx"), "sixteen-bytes-xx"),
                refused("a link name with a slash", f -> f.rtnl().rename(f.v0(), "a/b"), "a/b"),
                refused("MTU 0", f -> LinkSpec.veth("x0").mtu(0), "MTU", "0"),
                refused("a negative txqlen", f -> LinkSpec.veth("x0").txQueueLen(-1), "txQueueLen", "-1"),
                refused("a negative txqlen set", f -> f.rtnl().setTxQueueLen(f.v0(), -1), "txQueueLen", "-1"),
                refused("no transmit queues", f -> LinkSpec.veth("x0").numTxQueues(0), "numTxQueues", "0"),
                refused("no receive queues", f -> LinkSpec.bridge("x0").numRxQueues(-3), "numRxQueues", "-3"),
                refused("a negative group", f -> f.rtnl().setGroup(f.v0(), -1), "group", "-1"),
                refused("a 12-byte name prefix", f -> LinkSpec.veth().namePrefix("twelve-bytes"), "twelve-bytes"),
                refused("a name prefix with a slash", f -> LinkSpec.veth().peerNamePrefix("a/b"), "a/b"),
                refused(
                        "modifying a veth with a bridge spec",
                        f -> f.rtnl().modify(f.v0(), LinkSpec.bridge(null)),
                        "\"v0\"",
                        "veth",
                        "bridge"),
                refused("a MAC of five bytes", f -> LinkSpec.veth("x0").mac("02:00:00:00:01"), "02:00:00:00:01"),
                refused(
                        "an IPv4 part with a leading zero",
                        f -> f.rtnl().addAddress(f.v0(), "010.1.1.1/24"),
                        "010.1.1.1",
                        "leading zero"),
                refused("a prefix length of 33", f -> f.rtnl().addAddress(f.v0(), "10.1.0.1/33"), "10.1.0.1/33"),
                refused(
                        "a host name for an address",
                        f -> f.rtnl().addAddress(f.v0(), "example.com/24"),
                        "example.com/24"),
                refused(
                        "a tbf burst the kernel cannot report",
                        f -> QdiscSpec.tbf(1000, 0xffffffffL, Duration.ofMillis(1)),
                        "burst"),
                refused(
                        "a blackhole route with a gateway",
                        f -> f.rtnl().addRoute(Route.blackhole("10.5.0.0/16").via("10.9.0.2")),
                        "blackhole",
                        "gateway 10.9.0.2"),
                refused(
                        "an unreachable route through a link",
                        f -> f.rtnl().addRoute(Route.unreachable("10.5.0.0/16").dev(f.v0())),
                        "unreachable",
                        "link index"),
                refused(
                        "a route source of the other family",
                        f -> f.rtnl().addRoute(Route.to("10.5.0.0/16").src("fd00::1")),
                        "src fd00::1"),
                refused(
                        "a route MTU the kernel would lower",
                        f -> f.rtnl().addRoute(Route.to("10.5.0.0/16").mtu(70000)),
                        "mtu",
                        "70000"),
                refused(
                        "a route in table 0",
                        f -> f.rtnl().addRoute(Route.to("10.5.0.0/16").table(0)),
                        "table",
                        "was 0"),
                refused("routes of table -1", f -> f.rtnl().routes(-1), "table", "-1"),
                refused("routeGet of a host name", f -> f.rtnl().routeGet("example.com"), "example.com"),
                refused("a namespace name with a newline", f -> Netns.newNamed("new\nline"), "control characters"),
                refused("a namespace name with a slash", f -> Netns.newNamed("a/b"), "a/b"),
                // namespace ids, peers, tap queues
                refused("a negative nsid", f -> f.rtnl().setNetnsId(f.ns(), -1), "nsid", "-1", "ensureNetnsId"),
                new Row(
                        "an nsid for a closed handle",
                        f -> {
                            NsFd closed = Netns.newTransient();
                            closed.close();
                            f.rtnl().setNetnsId(closed, 3);
                        },
                        NetnsException.class,
                        List.of("RTM_NEWNSID net:[", "nsid 3", "is closed"),
                        null),
                refused("the peer of lo", f -> f.rtnl().peer(f.lo()), "\"lo\"", "not a veth"),
                refused("the parent of a veth", f -> f.rtnl().parent(f.v0()), "\"v0\"", "peer"),
                refused("zero tap queues", f -> f.rtnl().openTapQueues(f.v0(), 0), "queues", "0"),
                kernel(
                        "tap queues of a veth",
                        f -> f.rtnl().openTapQueues(f.v0(), 2),
                        "EINVAL",
                        "TUNSETIFF open tap \"v0\" queues 2",
                        "not a tap"),
                // addresses and neighbours
                kernel(
                        "an address the link has, added again with a label",
                        f -> f.rtnl()
                                .addAddress(
                                        f.v0(), AddressSpec.of("10.9.0.1/24").label("v0:again")),
                        "EEXIST",
                        "RTM_NEWADDR 10.9.0.1/24 label v0:again on \"v0\""),
                kernel(
                        "a missing neighbour deleted",
                        f -> f.rtnl().deleteNeighbour(f.v0(), "10.9.0.77"),
                        "ENOENT",
                        "RTM_DELNEIGH 10.9.0.77 on \"v0\""),
                kernel(
                        "a missing point-to-point address deleted",
                        f -> f.rtnl()
                                .deleteAddress(
                                        f.v0(), AddressSpec.of("10.9.0.1/24").peer("10.8.0.2")),
                        "EADDRNOTAVAIL",
                        "RTM_DELADDR 10.9.0.1/24 peer 10.8.0.2 on \"v0\""),
                refused(
                        "a label not beginning with the link's name",
                        f -> f.rtnl()
                                .addAddress(
                                        f.v0(), AddressSpec.of("10.9.1.1/24").label("eth0:1")),
                        "label \"eth0:1\"",
                        "\"v0\""),
                refused(
                        "a peer of the other family",
                        f -> f.rtnl()
                                .addAddress(
                                        f.v0(), AddressSpec.of("10.9.1.1/24").peer("fd00::2")),
                        "peer fd00::2",
                        "10.9.1.1/24"),
                refused(
                        "a preferred lifetime longer than the valid one",
                        f -> f.rtnl()
                                .addAddress(
                                        f.v0(),
                                        AddressSpec.of("10.9.1.1/24")
                                                .validFor(Duration.ofSeconds(10))
                                                .preferredFor(Duration.ofSeconds(20))),
                        "preferred lifetime PT20S",
                        "valid lifetime PT10S"),
                refused(
                        "a neighbour with a short MAC",
                        f -> f.rtnl().addNeighbour(f.v0(), "10.9.0.7", "02:00:00:00:00"),
                        "\"02:00:00:00:00\""),
                refused(
                        "a neighbour named by a host name",
                        f -> f.rtnl().addNeighbour(f.v0(), "gateway.example", "02:00:00:00:00:07"),
                        "gateway.example"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedClearlyAndLeavesNothing(Row row) throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("v0").peer("v1").up());
            rtnl.addAddress(pair.local(), "10.9.0.1/24");
            rtnl.addQdisc(pair.peer(), QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(100)));
            Fixture f = new Fixture(ns, rtnl, rtnl.link("lo"), pair.local(), pair.peer());
            Map<String, Object> before = state(ns);

            Throwable thrown = catchThrowable(() -> row.call().on(f));

            assertThat(thrown).as(row.what()).isInstanceOf(row.type());
            assertThat(thrown.getMessage()).as(row.what()).contains(row.named());
            if (row.errno() != null) {
                assertThat(((NetnsException) thrown).errnoName()).as(row.what()).isEqualTo(row.errno());
                assertThat(thrown.getMessage()).contains(row.errno() + " (");
            }
            assertThat(state(ns))
                    .as("%s: ip -j and tc -j see the fixture unchanged", row.what())
                    .isEqualTo(before);
        }
    }

    /** What ip -j and tc -j show of the namespace, without counters and timers that move on their own. */
    private static Map<String, Object> state(NsFd ns) {
        return Map.of(
                "links",
                        Ip.links(ns).stream()
                                .map(l -> List.of(
                                        l.get("ifname"),
                                        l.get("mtu"),
                                        String.valueOf(l.get("address")),
                                        String.valueOf(l.get("flags"))))
                                .toList(),
                "addresses",
                        Ip.addrs(ns).stream()
                                .map(a -> String.valueOf(a.get("addr_info")))
                                .toList(),
                "neighbours", Ip.run(ns, "ip", "-j", "neigh", "show", "nud", "permanent"),
                "routes4", Ip.routes(ns, "-4"),
                "routes6", Ip.routes(ns, "-6"),
                "qdiscs",
                        Ip.qdiscs(ns).stream()
                                .map(q -> List.of(
                                        String.valueOf(q.get("kind")),
                                        String.valueOf(q.get("dev")),
                                        String.valueOf(q.get("options"))))
                                .toList());
    }
}
