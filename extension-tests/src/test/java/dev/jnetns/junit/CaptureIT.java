package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.Eye;
import dev.jnetns.testing.PcapngFile;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Packet captures of a test's namespaces ({@code jnetns.capture}): the files, read by {@code tcpdump -r} and by
 * the tests' own pcapng reader, hold the test's traffic on every link with names and directions.
 */
class CaptureIT {
    static final Map<String, Long> INOS = new ConcurrentHashMap<>();
    static final InetAddress SERVER = address(10, 9, 0, 2);

    @TempDir
    Path dir;

    /** TCP from the test's namespace to a server in the peer namespace over a veth, and UDP on lo. */
    static void talk(VethPair pair, NsFd peer, NsFd here) throws Exception {
        INOS.put("here", here.ino());
        INOS.put("peer", peer.ino());
        try (ServerSocket server = Netns.execute(peer, () -> new ServerSocket(8080, 5, SERVER));
                Socket client = new Socket(SERVER, 8080);
                Socket accepted = server.accept();
                DatagramSocket udpServer =
                        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5999));
                DatagramSocket udp = new DatagramSocket()) {
            client.getOutputStream().write(new byte[] {'h', 'i'});
            assertThat(accepted.getInputStream().readNBytes(2)).hasSize(2);
            udp.send(new DatagramPacket(new byte[5], 5, InetAddress.getLoopbackAddress(), 5999));
            udpServer.receive(new DatagramPacket(new byte[16], 16));
        }
    }

    @TransientNetns(capture = TransientNetns.Capture.ON_FAILURE)
    static class CapturesOnFailure {
        @Test
        void fails(
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
            talk(pair, peer, here);
            throw new AssertionError("fails after talking");
        }

        @Test
        void passes(
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
            talk(pair, peer, here);
        }
    }

    @Test
    void aFailedTestsPacketsAreWrittenOnePcapngPerNamespace() throws Exception {
        EngineExecutionResults results = Kit.run(CapturesOnFailure.class, TransientNetns.CAPTURE_DIR_KEY + "=" + dir);
        Kit.assertStatistics(results, stats -> stats.succeeded(1).failed(1));
        Path own = dir.resolve("CaptureIT.CapturesOnFailure.fails.pcapng");
        Path peer = dir.resolve("CaptureIT.CapturesOnFailure.fails.peer.pcapng");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(own, peer); // none of the passing test
        }
        Map<String, List<String>> entries = entries(results);
        assertThat(entries).containsOnlyKeys("fails(VethPair, NsFd, NsFd)");
        String entry = entries.get("fails(VethPair, NsFd, NsFd)").get(0);
        assertThat(entry.split("\n"))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line)
                        .startsWith(own + ": net:[")
                        .contains("] the namespace of fails(")
                        .containsPattern(" on (lo, va|va, lo); none dropped$")
                        .containsPattern(": \\d+ packets on "))
                .anySatisfy(line -> assertThat(line)
                        .startsWith(peer + ": net:[")
                        .contains("] namespace \"peer\": ")
                        .contains("vb; none dropped"));

        String ownText = tcpdump(own);
        assertThat(ownText).containsPattern("10\\.9\\.0\\.1\\.\\d+ > 10\\.9\\.0\\.2\\.8080: Flags \\[S\\]");
        assertThat(ownText).containsPattern("127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.5999: UDP, length 5");
        String peerText = tcpdump(peer);
        assertThat(peerText).containsPattern("10\\.9\\.0\\.2\\.8080 > 10\\.9\\.0\\.1\\.\\d+: Flags \\[S\\.\\]");
        assertThat(peerText).doesNotContain("5999"); // lo of the other namespace

        PcapngFile ownFile = PcapngFile.read(own);
        assertThat(ownFile.interfaces).extracting(PcapngFile.Interface::name).contains("lo", "va");
        PcapngFile peerFile = PcapngFile.read(peer);
        assertThat(peerFile.interfaces).extracting(PcapngFile.Interface::name).contains("vb");
        // the SYN leaves va and arrives on vb: the same packet, seen from both ends
        assertThat(synDirections(ownFile, 0x02)).containsExactly(2);
        assertThat(synDirections(peerFile, 0x02)).containsExactly(1);
        assertThat(synDirections(peerFile, 0x12)).containsExactly(2);
        assertThat(Eye.eventually(() -> captureThreads().isEmpty()))
                .as("%s", captureThreads())
                .isTrue();
    }

    @TransientNetns
    static class CapturesAlways {
        @Test
        void passes(
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
            talk(pair, peer, here);
        }

        @RepeatedTest(2)
        void repeated() throws IOException {
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.send(new DatagramPacket(new byte[5], 5, InetAddress.getLoopbackAddress(), 5999));
            }
        }

        @Test
        @TransientNetns(capture = TransientNetns.Capture.OFF)
        void notCaptured() {}
    }

    @Test
    void alwaysWritesEveryTestsFilesButWhereATestTurnsItOff() throws Exception {
        EngineExecutionResults results = Kit.run(
                CapturesAlways.class,
                TransientNetns.CAPTURE_KEY + "=always",
                TransientNetns.CAPTURE_DIR_KEY + "=" + dir);
        Kit.assertAllSucceeded(results, 4);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "CaptureIT.CapturesAlways.passes.pcapng",
                            "CaptureIT.CapturesAlways.passes.peer.pcapng",
                            "CaptureIT.CapturesAlways.repeated-1.pcapng",
                            "CaptureIT.CapturesAlways.repeated-2.pcapng");
        }
        assertThat(entries(results))
                .containsOnlyKeys("passes(VethPair, NsFd, NsFd)", "repetition 1 of 2", "repetition 2 of 2");
        for (int i = 1; i <= 2; i++) {
            assertThat(tcpdump(dir.resolve("CaptureIT.CapturesAlways.repeated-" + i + ".pcapng")))
                    .containsPattern("127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.5999: UDP, length 5");
        }
        assertThat(Eye.eventually(() -> captureThreads().isEmpty()))
                .as("%s", captureThreads())
                .isTrue();
    }

    @Test
    void whatTheBufferCannotHoldIsDroppedAndSaidSo() throws Exception {
        EngineExecutionResults results = Kit.run(
                CapturesAlways.class,
                TransientNetns.CAPTURE_KEY + "=always",
                TransientNetns.CAPTURE_DIR_KEY + "=" + dir,
                TransientNetns.CAPTURE_SNAP_LENGTH_KEY + "=64",
                TransientNetns.CAPTURE_BUFFER_KEY + "=128");
        Kit.assertAllSucceeded(results, 4);
        String entry = entries(results).get("passes(VethPair, NsFd, NsFd)").get(0);
        assertThat(entry)
                .containsPattern(": 2 packets on [^;]+; \\d+ of the oldest dropped, over the buffer's 128 bytes \\("
                        + TransientNetns.CAPTURE_BUFFER_KEY.replace(".", "\\.") + "\\)");
        PcapngFile own = PcapngFile.read(dir.resolve("CaptureIT.CapturesAlways.passes.pcapng"));
        assertThat(own.packets)
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.capturedLength()).isEqualTo(64));
        assertThat(own.interfaces).allSatisfy(i -> assertThat(i.snapLength()).isEqualTo(64));
    }

    private static String tcpdump(Path file) {
        Eye.Result r = Eye.tcpdump(file);
        assertThat(r.exit).as("tcpdump -r %s: %s", file, r.output).isZero();
        return r.output;
    }

    /** The directions of the IPv4 TCP packets whose flags byte is {@code flags}. */
    private static List<Integer> synDirections(PcapngFile file, int flags) {
        return file.packets.stream()
                .filter(p -> p.data().length > 14 + 20 + 14
                        && (p.data()[12] & 0xff) == 0x08
                        && p.data()[13] == 0
                        && p.data()[14 + 9] == 6
                        && (p.data()[14 + 20 + 13] & 0xff) == flags)
                .map(PcapngFile.Packet::direction)
                .toList();
    }

    private static Map<String, List<String>> entries(EngineExecutionResults results) {
        Map<String, List<String>> byTest = new java.util.TreeMap<>();
        results.allEvents().reportingEntryPublished().stream().forEach(e -> {
            String value = e.getPayload(ReportEntry.class)
                    .orElseThrow()
                    .getKeyValuePairs()
                    .get(TransientNetnsExtension.CAPTURE_ENTRY);
            if (value != null) {
                byTest.computeIfAbsent(e.getTestDescriptor().getDisplayName(), k -> new java.util.ArrayList<>())
                        .add(value);
            }
        });
        return byTest;
    }

    /** jnetns' capture readers and the threads that close their sockets (each within seconds). */
    private static List<String> captureThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("jnetns-capture"))
                .toList();
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
