package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.Ip;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @Veth} impairments (their effect on a transfer, their qdiscs seen with {@code tc -j}, the skip where the
 * kernel lacks netem) and {@link NetnsFaults} under a client that reconnects.
 */
class ImpairmentsAndFaultsIT {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** Sends {@code bytes} from here to a server in {@code peer} at {@code address}; the nanoseconds it took. */
    static long transfer(NsFd peer, String address, int bytes) throws Exception {
        InetAddress to = InetAddress.getByName(address);
        try (ServerSocket server = Netns.execute(peer, () -> new ServerSocket(9000, 5, to))) {
            long[] received = new long[1];
            Thread reader = new Thread(() -> {
                try (Socket s = server.accept();
                        InputStream in = s.getInputStream()) {
                    received[0] = in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    received[0] = -1;
                }
            });
            reader.start();
            long start = System.nanoTime();
            try (Socket client = new Socket(to, 9000);
                    OutputStream out = client.getOutputStream()) {
                out.write(new byte[bytes]);
            }
            reader.join();
            long took = System.nanoTime() - start;
            assertThat(received[0]).isEqualTo(bytes);
            return took;
        }
    }

    @TransientNetns
    static class RateLimited {
        @Test
        void transfersOverASlowAndAFastPair(
                @Veth(
                                name = "slow0",
                                peerName = "slow1",
                                peerNetns = "peer",
                                address = "10.7.0.1/24",
                                peerAddress = "10.7.0.2/24",
                                rate = "40mbit")
                        VethPair slow,
                @Veth(
                                name = "fast0",
                                peerName = "fast1",
                                peerNetns = "peer",
                                address = "10.8.0.1/24",
                                peerAddress = "10.8.0.2/24")
                        VethPair fast,
                @Veth(name = "both0", peerName = "both1", peerNetns = "peer", rate = "1mbit", impaired = Veth.End.BOTH)
                        VethPair both,
                @TransientNetns("peer") NsFd peer,
                NsFd here)
                throws Exception {
            SEEN.put("tc", Ip.qdiscs(here));
            SEEN.put("tcPeer", Ip.qdiscs(peer));
            SEEN.put("slow", transfer(peer, "10.7.0.2", 2_000_000));
            SEEN.put("fast", transfer(peer, "10.8.0.2", 2_000_000));
        }
    }

    @Test
    void aRateLimitedPairTakesAsLongAsItsRateSays() {
        Kit.assertAllSucceeded(Kit.run(RateLimited.class), 1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> here = (List<Map<String, Object>>) Kit.get(SEEN, "tc");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> peer = (List<Map<String, Object>>) Kit.get(SEEN, "tcPeer");
        assertThat(tbfRate(here, "slow0")).isEqualTo(5_000_000L); // 40 Mbit/s in bytes
        assertThat(tbfRate(here, "fast0")).isNull();
        assertThat(tbfRate(peer, "slow1"))
                .as("only the local end is impaired by default")
                .isNull();
        assertThat(tbfRate(here, "both0")).isEqualTo(125_000L);
        assertThat(tbfRate(peer, "both1")).isEqualTo(125_000L);
        long slow = (Long) Kit.get(SEEN, "slow");
        long fast = (Long) Kit.get(SEEN, "fast");
        System.out.printf(
                "2 MB over @Veth(rate = \"40mbit\"): %d ms; unlimited: %d ms%n", slow / 1_000_000, fast / 1_000_000);
        // 2 MB at 5 MB/s is 0.4 s, less the 50 kB bucket; a wide margin, and the unlimited pair as the yardstick
        assertThat(slow).as("slow %d ns, fast %d ns", slow, fast).isGreaterThan(250_000_000L);
        assertThat(slow).as("slow %d ns, fast %d ns", slow, fast).isGreaterThan(4 * fast);
    }

    /** The rate of the tbf qdisc on {@code dev} as {@code tc -j} gives it (bytes per second), or null. */
    private static Long tbfRate(List<Map<String, Object>> qdiscs, String dev) {
        for (Map<String, Object> q : qdiscs) {
            if (dev.equals(q.get("dev")) && "tbf".equals(q.get("kind"))) {
                return Ip.num(Ip.get(q, "options", "rate"));
            }
        }
        return null;
    }

    @TransientNetns
    static class AsksForNetem {
        @Test
        void delayed(@Veth(delay = "50ms", jitter = "5ms") Link link) {}

        @Test
        void badRate(@Veth(rate = "fast") Link link) {}

        @Test
        void badLoss(@Veth(loss = 120) Link link) {}
    }

    @Test
    void netemWhereTheKernelLacksItSkipsWithItsAnswerAndBadValuesFail() {
        EngineExecutionResults results = Kit.run(AsksForNetem.class);
        boolean hasNetem = results.testEvents().skipped().count() == 0;
        if (!hasNetem) {
            results.testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("delayed"),
                                    skippedWithReason(r -> r.startsWith("@Veth parameter 'link' asks for netem (netem"
                                                    + " delay PT0.05S jitter PT0.005S")
                                            && r.contains("which this kernel lacks: RTM_NEWQDISC")
                                            && r.contains("ENOENT"))));
        }
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("badRate"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(
                                                m -> m.contains(
                                                        "@Veth parameter 'link' of badRate: rate must be bits per"
                                                                + " second as tc writes them (500kbit, 8mbit, 1gbit), was \"fast\"")))))
                .haveExactly(
                        1,
                        event(
                                test("badLoss"),
                                finishedWithFailure(
                                        message(m -> m.contains("loss must be 0 to 100 percent, was 120.0")))));
    }

    /** An echo server in {@code ns}: a line back for every line, until closed. */
    static final class EchoServer implements AutoCloseable {
        final ServerSocket socket;
        final Thread loop;

        EchoServer(NsFd ns, String address, int port) throws Exception {
            socket = Netns.execute(ns, () -> new ServerSocket(port, 5, InetAddress.getByName(address)));
            loop = new Thread(this::serve, "echo-server");
            loop.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(5000);
                    int b;
                    while ((b = s.getInputStream().read()) >= 0) {
                        s.getOutputStream().write(b);
                    }
                } catch (IOException e) {
                    // the client went (or the server closed): take the next one
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            loop.join();
        }
    }

    /** A client that reconnects: each call tries a fresh connection, retrying on failure within a deadline. */
    static final class RetryingClient {
        private final InetSocketAddress server;

        RetryingClient(String address, int port) {
            server = new InetSocketAddress(address, port);
        }

        /** One attempt: connect, send a byte, read it back (200 ms for each step). */
        byte callOnce(byte b) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(server, 200);
                s.setSoTimeout(200);
                s.getOutputStream().write(b);
                int back = s.getInputStream().read();
                if (back < 0) {
                    throw new SocketException("closed by the server");
                }
                return (byte) back;
            }
        }

        /** Attempts until one works or {@code within} has passed; how many attempts it took. */
        int call(byte b, Duration within) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            for (int attempt = 1; ; attempt++) {
                try {
                    assertThat(callOnce(b)).isEqualTo(b);
                    return attempt;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @TransientNetns
    static class Reconnects {
        @Test
        void aClientReconnectsAfterAPartitionAndALinkDown(
                @Veth(peerName = "srv0", peerNetns = "server", address = "10.6.0.1/24", peerAddress = "10.6.0.2/24")
                        VethPair veth,
                @TransientNetns("server") NsFd server,
                NsFd here,
                NetnsFaults faults)
                throws Exception {
            try (EchoServer echo = new EchoServer(server, "10.6.0.2", 7000)) {
                RetryingClient client = new RetryingClient("10.6.0.2", 7000);
                assertThat(client.call((byte) 1, Duration.ofSeconds(5))).isEqualTo(1);

                faults.partition(veth);
                assertThat(Ip.linkNames(server)).doesNotContain("srv0");
                assertThatThrownBy(() -> client.callOnce((byte) 2)).isInstanceOf(IOException.class);
                VethPair healed = faults.heal(veth);
                assertThat(Ip.linkNames(server)).contains("srv0");
                assertThat(client.call((byte) 3, Duration.ofSeconds(10))).isPositive();

                Link down = faults.down(healed.peer());
                assertThat(down.isUp()).isFalse();
                assertThatThrownBy(() -> client.callOnce((byte) 4)).isInstanceOf(IOException.class);
                faults.up(down);
                assertThat(client.call((byte) 5, Duration.ofSeconds(10))).isPositive();

                faults.impair(healed.local(), QdiscSpec.tbf(125_000, 3200, Duration.ofMillis(100)));
                assertThat(tbfRate(Ip.qdiscs(here), healed.local().name())).isEqualTo(125_000L);
                faults.clearImpairment(healed.local());
                assertThat(tbfRate(Ip.qdiscs(here), healed.local().name())).isNull();
                assertThat(client.call((byte) 6, Duration.ofSeconds(5))).isEqualTo(1);
                assertThatThrownBy(() ->
                                faults.down(new Link(1, "x", null, null, 0, 0, null, 0, 0, -1, null, 0, 0, 0, 0, 1)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "link \"x\" was read from net:[1], which is none of the test's namespaces");
            }
        }
    }

    @Test
    void faultsUnderAClientThatReconnects() {
        Kit.assertAllSucceeded(Kit.run(Reconnects.class), 1);
    }
}
