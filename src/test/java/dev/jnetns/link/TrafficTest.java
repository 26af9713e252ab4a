package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.assertj.NetnsAssertions;
import dev.jnetns.testing.Eye;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real traffic over links made by {@link Rtnl}: TCP and UDP across a veth, a bridge, and a default route. */
@ExtendWith(NoFdLeaks.class)
class TrafficTest {
    private static ExecutorService acceptor;

    @BeforeAll
    static void startAcceptor() {
        acceptor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopAcceptor() throws InterruptedException {
        acceptor.shutdownNow();
        assertThat(acceptor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Accepts one connection on {@code server} and echoes one line back, upper-cased. */
    private static Future<String> echoOnce(ServerSocket server) {
        return acceptor.submit(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                byte[] buf = new byte[64];
                int n = s.getInputStream().read(buf);
                String got = new String(buf, 0, n, StandardCharsets.UTF_8);
                s.getOutputStream().write(got.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                return got;
            }
        });
    }

    /** Connects from inside {@code ns} and returns the echo. */
    private static String talk(NsFd ns, String host, int port, String text) throws IOException {
        return Netns.execute(ns, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(IpPrefix.parseAddress(host), port), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                byte[] buf = new byte[64];
                int n = new DataInputStream(s.getInputStream()).read(buf);
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
        });
    }

    private static ServerSocket listen(NsFd ns, String host) throws IOException {
        return Netns.execute(ns, () -> new ServerSocket(0, 5, IpPrefix.parseAddress(host)));
    }

    private static VethPair joined(NsFd a, NsFd b, String addrA, String addrB) {
        try (Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            VethPair pair = ra.createVeth(LinkSpec.veth().peerNetns(b).up());
            ra.addAddress(pair.local(), addrA, AddressOption.NO_DAD);
            rb.addAddress(pair.peer(), addrB, AddressOption.NO_DAD);
            ra.waitUntilUp(pair.local(), Duration.ofSeconds(10));
            rb.waitUntilUp(pair.peer(), Duration.ofSeconds(10));
            return pair;
        }
    }

    /**
     * What the host's namespace (this test's thread) has: its links' names, and where it routes some addresses
     * ({@code ip -j route get}: asked of the kernel, nothing is sent).
     */
    private record HostView(List<String> links, Map<String, String> routes) {
        static HostView now(String... addresses) {
            Map<String, String> routes = new TreeMap<>();
            for (String address : addresses) {
                routes.put(address, route(address));
            }
            return new HostView(Eye.ifnames(Eye.run("ip", "-j", "link", "show").output), routes);
        }

        /** The device, gateway, source and type of the host's route to {@code address}, or why there is none. */
        private static String route(String address) {
            Eye.Result r = Eye.run("ip", "-j", "route", "get", address);
            if (r.exit != 0) {
                assertThat(r.output).as("ip route get %s", address).contains("unreachable");
                return "unreachable";
            }
            Map<String, Object> route = Ip.parseArray(r.output).get(0);
            return "dev " + route.get("dev") + " gateway " + route.get("gateway") + " prefsrc " + route.get("prefsrc")
                    + " type " + route.get("type");
        }
    }

    /**
     * The host's namespace (this test's thread) cannot reach {@code address}: it does not own it (bind fails
     * with EADDRNOTAVAIL), it has exactly the links it had before the test, and it routes the address as it did
     * then: out of one of those links, or nowhere. Compared with the host's own earlier state, not with "no veth",
     * since a host may have veths of its own (Docker's, for one).
     */
    private static void assertHostCannotReach(String address, HostView before) throws IOException {
        assertThatThrownBy(() -> new ServerSocket(0, 1, IpPrefix.parseAddress(address)).close())
                .isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("Cannot assign requested address");
        HostView now = HostView.now(address);
        assertThat(now.links()).as("the host's links").containsExactlyElementsOf(before.links());
        String route = now.routes().get(address);
        assertThat(route)
                .as("the host's route to %s, as before the test", address)
                .isEqualTo(before.routes().get(address));
        if (!route.equals("unreachable")) {
            assertThat(route.split(" ")[1])
                    .as("the host's route to %s: %s", address, route)
                    .isIn(before.links());
        }
    }

    @Test
    void tcpAndUdpCrossAVethAndTheHostCannotReachEither() throws Exception {
        HostView host = HostView.now("10.1.0.1", "10.1.0.2");
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient()) {
            joined(a, b, "10.1.0.1/24", "10.1.0.2/24");
            try (ServerSocket server = listen(b, "10.1.0.2")) {
                Future<String> served = echoOnce(server);
                assertThat(talk(a, "10.1.0.2", server.getLocalPort(), "hello")).isEqualTo("HELLO");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("hello");

                // the host's namespace has no way into the pair (asked of the kernel: nothing is sent, since on a
                // machine with a default route a packet from the host to 10.1.0.2 would leave the machine)
                assertHostCannotReach("10.1.0.2", host);
            }
            // nor a's end, while b reaches it
            try (ServerSocket server = listen(a, "10.1.0.1")) {
                assertHostCannotReach("10.1.0.1", host);
                Future<String> served = echoOnce(server);
                assertThat(talk(b, "10.1.0.1", server.getLocalPort(), "back")).isEqualTo("BACK");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("back");
            }

            try (DatagramSocket receiver =
                    Netns.execute(b, () -> new DatagramSocket(0, IpPrefix.parseAddress("10.1.0.2")))) {
                receiver.setSoTimeout(5000);
                byte[] payload = "datagram".getBytes(StandardCharsets.UTF_8);
                Netns.execute(a, () -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        sender.send(new DatagramPacket(
                                payload, payload.length, IpPrefix.parseAddress("10.1.0.2"), receiver.getLocalPort()));
                    }
                });
                DatagramPacket got = new DatagramPacket(new byte[64], 64);
                receiver.receive(got);
                assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("datagram");
                assertThat(got.getAddress()).isEqualTo(IpPrefix.parseAddress("10.1.0.1"));
            }
        }
    }

    @Test
    void tcpOverIpv6WithoutDad() throws Exception {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient()) {
            joined(a, b, "fd00:1::1/64", "fd00:1::2/64");
            try (ServerSocket server = listen(b, "fd00:1::2")) { // binding at once: the address is not tentative
                Future<String> served = echoOnce(server);
                assertThat(talk(a, "fd00:1::2", server.getLocalPort(), "six")).isEqualTo("SIX");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("six");
            }
        }
    }

    @Test
    void aBridgeInAThirdNamespaceJoinsTwoOthers() throws Exception {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                NsFd c = Netns.newTransient();
                Rtnl rc = Rtnl.open(c);
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            Link bridge = rc.create(LinkSpec.bridge("br0").up());
            VethPair toA =
                    rc.createVeth(LinkSpec.veth("pa").peer("a0").peerNetns(a).up());
            VethPair toB =
                    rc.createVeth(LinkSpec.veth("pb").peer("b0").peerNetns(b).up());
            Link pa = rc.setMaster(toA.local(), bridge);
            Link pb = rc.setMaster(toB.local(), bridge);
            assertThat(pa.masterIndex()).isEqualTo(bridge.index());
            assertThat(pb.masterIndex()).isEqualTo(bridge.index());
            assertThat(Ip.link(c, "pa").get("master")).isEqualTo("br0");
            assertThat(Ip.link(c, "pb").get("master")).isEqualTo("br0");
            NetnsAssertions.assertThat(pa).in(c).isEnslavedTo(bridge);
            NetnsAssertions.assertThat(pb).in(c).isEnslavedTo(bridge);
            ra.addAddress(toA.peer(), "10.2.0.1/24");
            rb.addAddress(toB.peer(), "10.2.0.2/24");
            rc.waitUntilUp(bridge, Duration.ofSeconds(10));
            ra.waitUntilUp(toA.peer(), Duration.ofSeconds(10));
            rb.waitUntilUp(toB.peer(), Duration.ofSeconds(10));
            try (ServerSocket server = listen(b, "10.2.0.2")) {
                Future<String> served = echoOnce(server);
                assertThat(talk(a, "10.2.0.2", server.getLocalPort(), "bridged"))
                        .isEqualTo("BRIDGED");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("bridged");
            }
            // and the bridge really is in the path: without it, no way across
            rc.setNoMaster(pa);
            assertThat(Ip.link(c, "pa").get("master")).isNull();
            assertThatThrownBy(() -> NetnsAssertions.assertThat(pa).in(c).isEnslavedTo(bridge))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting link \"pa\" in net:[" + c.ino() + "] to be enslaved to \"br0\"")
                    .hasMessageEndingWith("but it has no master");
            NetnsAssertions.assertThat(pa).in(c).hasNoMaster();
            NetnsAssertions.assertThat(pb).in(c).isEnslavedTo(bridge);
            try (ServerSocket server = listen(b, "10.2.0.2")) {
                assertThatThrownBy(() -> Netns.execute(a, () -> {
                            try (Socket s = new Socket()) {
                                s.connect(
                                        new InetSocketAddress(IpPrefix.parseAddress("10.2.0.2"), server.getLocalPort()),
                                        500);
                            }
                        }))
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aDefaultRouteViaTheVethCarriesTrafficBeyondTheSubnet() throws Exception {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            VethPair pair = joined(a, b, "10.1.0.1/24", "10.1.0.2/24");
            // b also owns 10.99.0.1, on its loopback: outside a's subnet
            rb.addAddress(rb.link("lo"), "10.99.0.1/32");
            try (ServerSocket server = listen(b, "10.99.0.1")) {
                // without a route, a cannot even try
                assertThatThrownBy(() -> talk(a, "10.99.0.1", server.getLocalPort(), "x"))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("unreachable");
                ra.addRoute(Route.defaultVia("10.1.0.2"));
                assertThat(Ip.routes(a, "-4")).anySatisfy(r -> {
                    assertThat(r.get("dst")).isEqualTo("default");
                    assertThat(r.get("gateway")).isEqualTo("10.1.0.2");
                    assertThat(r.get("dev")).isEqualTo(pair.local().name());
                });
                Future<String> served = echoOnce(server);
                assertThat(talk(a, "10.99.0.1", server.getLocalPort(), "routed"))
                        .isEqualTo("ROUTED");
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("routed");
            }
        }
    }
}
