package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.Eye;
import dev.jnetns.testing.PcapngFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PacketCapture and Pcapng, read back by tcpdump and by a pcapng reader of the tests' own. */
class PacketCaptureTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void everyLinkIsCapturedWithItsNameTimeAndDirection() throws Exception {
        try (NsFd here = Netns.newTransient();
                NsFd there = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(here);
                Rtnl peerRtnl = Rtnl.open(there)) {
            long before = System.currentTimeMillis() * 1_000_000L;
            PacketCapture capture = Netns.execute(here, () -> PacketCapture.openHere(65535, 1 << 20));
            capture.start("capture-test");
            // a link made after the capture began is captured too
            VethPair pair = rtnl.createVeth(LinkSpec.veth("va").peer("vb").up(), peerRtnl);
            rtnl.addAddress(pair.local(), "10.9.0.1/24", AddressOption.NO_DAD);
            peerRtnl.addAddress(pair.peer(), "10.9.0.2/24", AddressOption.NO_DAD);
            rtnl.waitUntilUp(rtnl.link("va"), Duration.ofSeconds(5));
            try (ServerSocket server = Netns.execute(
                    there, () -> new ServerSocket(8080, 5, InetAddress.getByAddress(new byte[] {10, 9, 0, 2})))) {
                Netns.execute(here, () -> {
                    try (Socket client = new Socket(InetAddress.getByAddress(new byte[] {10, 9, 0, 2}), 8080);
                            Socket accepted = server.accept();
                            OutputStream out = client.getOutputStream();
                            InputStream in = accepted.getInputStream();
                            DatagramSocket udpServer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 5999));
                            DatagramSocket udp = new DatagramSocket()) {
                        out.write("hello".getBytes(StandardCharsets.US_ASCII));
                        assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
                        udp.send(new DatagramPacket(new byte[] {1, 2, 3, 4, 5}, 5, LOOPBACK, 5999));
                        udpServer.receive(new DatagramPacket(new byte[16], 16));
                    }
                    return null;
                });
            }
            PacketCapture.Result result = capture.stop();
            long after = (System.currentTimeMillis() + 1) * 1_000_000L; // the clock in ms, rounded up
            Path file = dir.resolve("capture.pcapng");
            Pcapng.write(file, result);

            Eye.Result tcpdump = Eye.tcpdump(file);
            assertThat(tcpdump.exit).as("%s", tcpdump).isZero();
            String text = tcpdump.output;
            assertThat(text).containsPattern("10\\.9\\.0\\.1\\.\\d+ > 10\\.9\\.0\\.2\\.8080: Flags \\[S\\]");
            assertThat(text).containsPattern("10\\.9\\.0\\.2\\.8080 > 10\\.9\\.0\\.1\\.\\d+: Flags \\[S\\.\\]");
            assertThat(text).containsPattern("Flags \\[P\\.\\].*length 5");
            assertThat(Pattern.compile("127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.5999: UDP, length 5")
                            .matcher(text)
                            .results()
                            .count())
                    .as("lo's packet once, not its outgoing copy too:\n%s", text)
                    .isEqualTo(1);

            PcapngFile read = PcapngFile.read(file);
            assertThat(read.packets).hasSize((int) text.lines()
                    .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} .*"))
                    .count());
            assertThat(read.interfaces).extracting(PcapngFile.Interface::name).containsExactlyInAnyOrder("lo", "va");
            assertThat(read.interfaces).allSatisfy(i -> {
                assertThat(i.linkType()).isEqualTo(1); // Ethernet, lo included
                assertThat(i.tsresol()).isEqualTo(9);
            });
            int va = read.interfaces.indexOf(read.interfaces.stream()
                    .filter(i -> i.name().equals("va"))
                    .findFirst()
                    .orElseThrow());
            PcapngFile.Packet syn = tcpWithFlags(read, va, 0x02);
            PcapngFile.Packet synAck = tcpWithFlags(read, va, 0x12);
            assertThat(syn.direction()).as("the client's SYN leaves va").isEqualTo(2);
            assertThat(synAck.direction())
                    .as("the server's SYN-ACK arrives on va")
                    .isEqualTo(1);
            assertThat(read.packets).allSatisfy(p -> assertThat(p.timestamp()).isBetween(before, after));
            assertThat(result.droppedByKernel()).isZero();
            assertThat(result.droppedFromBuffer()).isZero();
            assertThat(Eye.threadNamesIn(here.ino())).isEmpty();
        }
    }

    @Test
    void memoryIsBoundedBySnapLengthAndBuffer() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            PacketCapture capture = Netns.execute(ns, () -> PacketCapture.openHere(100, 1000));
            capture.start("capture-test");
            Netns.execute(ns, () -> {
                try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 5999));
                        DatagramSocket udp = new DatagramSocket()) {
                    for (int i = 0; i < 50; i++) {
                        udp.send(new DatagramPacket(new byte[500], 500, LOOPBACK, 5999));
                        server.receive(new DatagramPacket(new byte[600], 600));
                    }
                }
                return null;
            });
            PacketCapture.Result result = capture.stop();
            assertThat(result.packets()).hasSize(10); // 1000 bytes hold ten snaps of 100
            assertThat(result.droppedFromBuffer()).isEqualTo(40);
            assertThat(result.packets()).allSatisfy(p -> {
                assertThat(p.data()).hasSize(100);
                assertThat(p.length()).isEqualTo(14 + 20 + 8 + 500);
            });
            Path file = dir.resolve("bounded.pcapng");
            Pcapng.write(file, result);
            assertThat(PcapngFile.read(file).packets)
                    .allSatisfy(p -> assertThat(p.capturedLength()).isEqualTo(100))
                    .allSatisfy(p -> assertThat(p.length()).isEqualTo(542));
        }
    }

    @Test
    void badSizesAreRefusedNamingThem() {
        assertThatThrownBy(() -> PacketCapture.openHere(10, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapLength 10, bufferBytes 1000");
        assertThatThrownBy(() -> PacketCapture.openHere(1500, 1000))
                .hasMessageContaining("snapLength 1500, bufferBytes 1000");
    }

    /** The TCP packet on interface {@code id} whose flags byte is {@code flags} (IPv4 over Ethernet). */
    private static PcapngFile.Packet tcpWithFlags(PcapngFile read, int id, int flags) {
        List<PcapngFile.Packet> found = read.packets.stream()
                .filter(p -> p.interfaceId() == id && p.data().length > 14 + 20 + 14)
                .filter(p -> (p.data()[12] & 0xff) == 0x08 && p.data()[13] == 0 && p.data()[14 + 9] == 6)
                .filter(p -> (p.data()[14 + 20 + 13] & 0xff) == flags)
                .toList();
        assertThat(found).as("TCP flags %x on interface %d", flags, id).hasSize(1);
        return found.get(0);
    }
}
