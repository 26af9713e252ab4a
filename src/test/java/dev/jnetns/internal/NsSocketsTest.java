package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The view of a namespace's TCP sockets, against real sockets in a fresh namespace. */
class NsSocketsTest {
    @Test
    void addressesReadAsTheKernelPrintsThem() {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        assertThat(NsSockets.address(little ? "0100007F:1F90" : "7F000001:1F90"))
                .isEqualTo("127.0.0.1:8080");
        assertThat(NsSockets.address(
                        little ? "00000000000000000000000001000000:0050" : "00000000000000000000000000000001:0050"))
                .isEqualTo("[0:0:0:0:0:0:0:1]:80");
        // Java's dual-stack sockets show IPv4 addresses mapped into IPv6
        assertThat(NsSockets.address(
                        little ? "0000000000000000FFFF00000100007F:1F90" : "00000000000000000000FFFF7F000001:1F90"))
                .isEqualTo("127.0.0.1:8080");
    }

    @Test
    void theTcpInUseCountIsReadFromEitherCountersFile() {
        assertThat(NsSockets.inUse("sockets: used 3\nTCP: inuse 12 orphan 0 tw 4 alloc 13 mem 1\nUDP: inuse 0\n"))
                .isEqualTo(12);
        assertThat(NsSockets.inUse("TCP6: inuse 0\nUDP6: inuse 2\n")).isZero();
        assertThat(NsSockets.inUse("TCP6: inuse 7\n")).isEqualTo(7);
        assertThat(NsSockets.inUse("UDP: inuse 1\n"))
                .as("no TCP line: cannot tell")
                .isEqualTo(-1);
        assertThat(NsSockets.count("sockets: used 3\nTCP: inuse 12 orphan 0\n", "sockets: used "))
                .isEqualTo(3);
    }

    /** How many sockets jnetns keeps in {@code ns}: the spare rtnetlink socket of a namespace it made, if untaken. */
    private static int own(NsFd ns) {
        return Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0;
    }

    @Test
    void anIpv6SocketLeavesTheViewUnsureAndTheCountersReadInsideSeeIt() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            int own = own(ns);
            assertThat(view.tcp(own)).isEqualTo(NsSockets.Tcp.NONE);
            assertThat(Netns.execute(ns, NsSockets::anyTcpHere)).isFalse();
            byte[] ipv6Loopback = new byte[16];
            ipv6Loopback[15] = 1;
            InetAddress loopback6 = InetAddress.getByAddress(ipv6Loopback);
            try (ServerSocket server = Netns.execute(ns, () -> new ServerSocket(9124, 1, loopback6))) {
                assertThat(Netns.execute(ns, NsSockets::listHere))
                        .containsExactly("listening on [0:0:0:0:0:0:0:1]:9124");
                assertThat(view.tcp(own))
                        .as("sockstat counts an IPv6 socket only under \"sockets: used\"")
                        .isEqualTo(NsSockets.Tcp.UNSURE);
                assertThat(Netns.execute(ns, NsSockets::anyTcpHere))
                        .as("sockstat6, read inside")
                        .isTrue();
                assertThat(Netns.execute(ns, NsSockets::listHereIfAny))
                        .containsExactly("listening on [0:0:0:0:0:0:0:1]:9124");
                assertThat(view.tcp(own + 1))
                        .as("with one socket more claimed as jnetns' own, the listener is missed")
                        .isEqualTo(NsSockets.Tcp.NONE);
            }
            assertThat(view.tcp(own)).isEqualTo(NsSockets.Tcp.NONE);
            assertThat(Netns.execute(ns, NsSockets::listHereIfAny)).isEmpty();
        }
    }

    @Test
    void anIpv4TcpSocketIsCountedByTheViewAlone() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            // Java's own sockets are IPv6 ones (IPv4 mapped into them) wherever IPv6 is on: an AF_INET listener
            Process listener = Netns.start(
                    ns,
                    new ProcessBuilder(
                            "python3",
                            "-c",
                            "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 9126)); s.listen();"
                                    + " print('up', flush=True); time.sleep(60)"));
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("up");
                assertThat(view.tcp(own(ns))).isEqualTo(NsSockets.Tcp.SOME);
                assertThat(Netns.execute(ns, NsSockets::listHere)).containsExactly("listening on 127.0.0.1:9126");
            } finally {
                listener.destroyForcibly();
                listener.waitFor();
            }
            assertThat(view.tcp(own(ns))).isEqualTo(NsSockets.Tcp.NONE);
        }
    }

    @Test
    void aViewOpenedInsideCountsThatNamespacesSocketsFromOutsideAndTheTablesListThem() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            assertThat(view.tcp(own(ns))).isEqualTo(NsSockets.Tcp.NONE);
            try (ServerSocket server =
                    Netns.execute(ns, () -> new ServerSocket(9123, 1, InetAddress.getLoopbackAddress()))) {
                assertThat(view.tcp(own(ns))).isNotEqualTo(NsSockets.Tcp.NONE);
                assertThat(Netns.execute(ns, NsSockets::listHere)).containsExactly("listening on 127.0.0.1:9123");
                try (Socket client = Netns.execute(ns, () -> new Socket(InetAddress.getLoopbackAddress(), 9123));
                        Socket accepted = server.accept()) {
                    assertThat(Netns.execute(ns, NsSockets::listHere))
                            .contains(
                                    "listening on 127.0.0.1:9123",
                                    "connected 127.0.0.1:" + client.getLocalPort() + " -> 127.0.0.1:9123",
                                    "connected 127.0.0.1:9123 -> 127.0.0.1:" + client.getLocalPort());
                    accepted.close();
                    assertThat(client.getInputStream().read()).isEqualTo(-1); // the peer is gone: CLOSE_WAIT
                    assertThat(Netns.execute(ns, NsSockets::listHere)).containsExactly("listening on 127.0.0.1:9123");
                }
            }
            // the host's sockets are not counted: the view shows the namespace it was opened in
            assertThat(view.tcp(own(ns))).isEqualTo(NsSockets.Tcp.NONE);
        }
    }
}
