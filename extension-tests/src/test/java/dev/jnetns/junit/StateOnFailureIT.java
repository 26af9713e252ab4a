package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.NsFd;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.Route;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.Ip;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A failing test's network, shown in the report entry {@code jnetns.state} as it was when the failure was thrown
 * (before the test's {@code @AfterEach} methods closed its servers), held against what {@code ip -j}, {@code tc -j}
 * and {@code ss} said inside at that moment.
 */
class StateOnFailureIT {
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A test that fails with a server, a connection, a UDP socket, a veth to a further namespace, a route, a tbf. */
    @TransientNetns
    static class FailsWithANetwork {
        ServerSocket server;
        Socket client;
        Socket accepted;
        DatagramSocket udp;

        @BeforeEach
        void serve() throws IOException {
            server = new ServerSocket(8080, 50, LOOPBACK);
            udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 5353));
        }

        @Test
        void failsWhileConnected(
                @Veth(
                                name = "va",
                                peerName = "vb",
                                address = "10.9.0.1/24",
                                peerAddress = "10.9.0.2/24",
                                peerNetns = "peer")
                        VethPair pair,
                @TransientNetns("peer") NsFd peer,
                NsFd here)
                throws Exception {
            client = new Socket(LOOPBACK, 8080);
            accepted = server.accept();
            try (Rtnl rtnl = Rtnl.open(here)) {
                rtnl.waitUntilUp(pair.local(), Duration.ofSeconds(5));
                rtnl.addRoute(Route.to("10.20.0.0/16").via("10.9.0.2"));
                rtnl.addQdisc(pair.local(), QdiscSpec.tbf(125_000, 1600, Duration.ofMillis(50)));
            }
            SEEN.put("here", Long.toString(here.ino()));
            SEEN.put("peer", Long.toString(peer.ino()));
            SEEN.put("ss", Ip.run(here, "ss", "-tunaH"));
            SEEN.put("link", Ip.run(here, "ip", "-j", "link"));
            SEEN.put("tc", Ip.run(here, "tc", "-j", "qdisc"));
            SEEN.put("peerLink", Ip.run(peer, "ip", "-j", "link"));
            throw new IllegalStateException("the test's own failure");
        }

        @AfterEach
        void close() throws IOException {
            accepted.close();
            client.close();
            server.close();
            udp.close();
        }
    }

    @Test
    void aFailingTestShowsItsNetworkAsItWasWhenItFailed() {
        EngineExecutionResults results = Kit.run(FailsWithANetwork.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("failsWhileConnected"),
                                finishedWithFailure(
                                        instanceOf(IllegalStateException.class), message("the test's own failure"))));
        List<String> states = entries(results, TransientNetnsExtension.STATE_ENTRY);
        assertThat(states).hasSize(1);
        String state = states.get(0);
        String here = Kit.get(SEEN, "here");
        String peer = Kit.get(SEEN, "peer");
        assertThat(state)
                .startsWith("net:[" + here + "] the namespace of failsWhileConnected(")
                .contains("\nnet:[" + peer + "] namespace \"peer\"\n");
        String hereText = state.substring(0, state.indexOf("\nnet:[" + peer + "]"));
        String peerText = state.substring(state.indexOf("\nnet:[" + peer + "]"));
        for (Map<String, Object> link : Ip.parseArray(Kit.get(SEEN, "link"))) {
            assertThat(hereText)
                    .containsPattern("\n    " + link.get("ifname") + "[@ ].* " + link.get("address") + "  mtu "
                            + Ip.num(link.get("mtu")));
        }
        for (Map<String, Object> link : Ip.parseArray(Kit.get(SEEN, "peerLink"))) {
            assertThat(peerText).containsPattern("\n    " + link.get("ifname") + "[@ ].* " + link.get("address"));
        }
        assertThat(hereText)
                .contains("\n    va@vb ")
                .contains("peer in namespace \"peer\" (net:[" + peer + "])")
                .contains("\n    va               10.9.0.1/24")
                .contains("\n    10.20.0.0/16 via 10.9.0.2 dev va\n");
        assertThat(peerText).contains("\n    vb               10.9.0.2/24");
        for (Map<String, Object> q : Ip.parseArray(Kit.get(SEEN, "tc"))) {
            assertThat(hereText).contains("\n    " + q.get("kind") + " " + q.get("handle") + " dev " + q.get("dev"));
        }
        // every socket ss saw, with its state: the listening server, both ends of the connection, the UDP socket
        String sockets = hereText.replaceAll(" +", " ");
        List<String> seen = ssLines(Kit.get(SEEN, "ss"));
        assertThat(seen).contains("tcp LISTEN 127.0.0.1:8080", "tcp ESTAB 127.0.0.1:8080", "udp UNCONN 127.0.0.1:5353");
        for (String line : seen) {
            assertThat(sockets).contains("\n " + line + " ");
        }
    }

    /** Fails in {@code @BeforeEach}, in {@code @AfterEach}, by a timeout; passes; is aborted by an assumption. */
    @TransientNetns
    static class FailsInManyWays {
        @BeforeEach
        void setUp(org.junit.jupiter.api.TestInfo info) {
            if (info.getDisplayName().startsWith("failsInBeforeEach")) {
                throw new IllegalStateException("before each");
            }
        }

        @Test
        void failsInBeforeEach() {}

        @Test
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
        void timesOut() throws InterruptedException {
            Thread.sleep(30_000);
        }

        @Test
        void passes() {}

        @Test
        void isAborted() {
            Assumptions.assumeTrue(false, "not here");
        }

        @Test
        void failsInAfterEach() {}

        @AfterEach
        void tearDown(org.junit.jupiter.api.TestInfo info) {
            if (info.getDisplayName().startsWith("failsInAfterEach")) {
                throw new IllegalStateException("after each");
            }
        }
    }

    @Test
    void everyKindOfFailureShowsTheStateAndNothingElseDoes() {
        EngineExecutionResults results = Kit.run(FailsInManyWays.class);
        Kit.assertStatistics(results, stats -> stats.succeeded(1).failed(3).aborted(1));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("timesOut"), finishedWithFailure(instanceOf(TimeoutException.class))));
        Map<String, List<String>> byTest = entriesByTest(results, TransientNetnsExtension.STATE_ENTRY);
        assertThat(byTest).containsOnlyKeys("failsInBeforeEach()", "timesOut()", "failsInAfterEach()");
        byTest.forEach((test, states) -> {
            assertThat(states).as(test).hasSize(1);
            assertThat(states.get(0))
                    .as(test)
                    .startsWith("net:[")
                    .contains("] the namespace of " + test + "\n  links:\n    lo ")
                    .contains("  addresses:\n    lo               127.0.0.1/8");
        });
    }

    @Test
    void theStateCanBeTurnedOff() {
        EngineExecutionResults results = Kit.run(FailsInManyWays.class, TransientNetns.STATE_ON_FAILURE_KEY + "=false");
        Kit.assertStatistics(results, stats -> stats.succeeded(1).failed(3).aborted(1));
        assertThat(entries(results, TransientNetnsExtension.STATE_ENTRY)).isEmpty();
    }

    private static List<String> entries(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(pairs -> pairs.containsKey(key))
                .map(pairs -> pairs.get(key))
                .toList();
    }

    private static Map<String, List<String>> entriesByTest(EngineExecutionResults results, String key) {
        Map<String, List<String>> byTest = new java.util.TreeMap<>();
        results.allEvents().reportingEntryPublished().stream()
                .filter(e -> e.getPayload(ReportEntry.class)
                        .orElseThrow()
                        .getKeyValuePairs()
                        .containsKey(key))
                .forEach(e -> byTest.computeIfAbsent(
                                e.getTestDescriptor().getDisplayName(), k -> new java.util.ArrayList<>())
                        .add(e.getPayload(ReportEntry.class)
                                .orElseThrow()
                                .getKeyValuePairs()
                                .get(key)));
        return byTest;
    }

    /** ss -tunaH lines as {@code tcp LISTEN 127.0.0.1:8080}, the IPv4-mapped addresses of Java's sockets unwrapped. */
    private static List<String> ssLines(String ss) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : ss.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6) {
                out.add(f[0] + " " + f[1] + " " + f[4].replace("[::ffff:", "").replace("]", ""));
            }
        }
        return out;
    }
}
