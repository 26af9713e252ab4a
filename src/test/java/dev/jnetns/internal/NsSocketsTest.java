package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
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

    /**
     * The view holds {@code sockstat}, which counts an IPv6 socket only under {@code sockets: used}: with nothing
     * but jnetns' own socket open it proves there is no TCP socket; with one more it cannot tell, and the look
     * from inside reads {@code sockstat6} too, as does the view once noted inside with the socket open.
     */
    @Test
    void anIpv6SocketIsSeenFromInsideThoughTheViewHoldsOnlyTheFirstCountersFile() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            int own = Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0; // a namespace jnetns made has its spare socket
            assertThat(view.mayHoldTcp(own)).isFalse();
            assertThat(Netns.execute(ns, NsSockets::listHereIfAny)).isEmpty();
            byte[] ipv6Loopback = new byte[16];
            ipv6Loopback[15] = 1;
            InetAddress loopback6 = InetAddress.getByAddress(ipv6Loopback);
            try (ServerSocket server = Netns.execute(ns, () -> new ServerSocket(9124, 1, loopback6))) {
                assertThat(view.mayHoldTcp(own))
                        .as("one socket more than jnetns' own")
                        .isTrue();
                assertThat(Netns.execute(ns, NsSockets::listHereIfAny))
                        .containsExactly("listening on [0:0:0:0:0:0:0:1]:9124");
                Netns.execute(ns, () -> view.noteHere(own));
                assertThat(view.mayHoldTcp(own))
                        .as("counted in sockstat6, now open")
                        .isTrue();
                assertThat(view.mayHoldTcp(own + 1))
                        .as("with one socket more claimed as jnetns' own, the listener is missed")
                        .isFalse();
            }
            assertThat(view.mayHoldTcp(own)).isFalse();
            assertThat(Netns.execute(ns, NsSockets::listHereIfAny)).isEmpty();
        }
    }

    /** A socket of another kind (UDP here) cannot be told from an IPv6 TCP one by sockstat: the look inside can. */
    @Test
    void aSocketOfAnotherKindSendsTheLookInsideWhereItFindsNoTcp() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            int own = Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0;
            try (java.net.DatagramSocket udp =
                    Netns.execute(ns, () -> new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress()))) {
                assertThat(Netns.execute(ns, () -> Eye.run("ss", "-Huan").output))
                        .contains(":" + udp.getLocalPort());
                assertThat(view.mayHoldTcp(own)).isTrue();
                assertThat(Netns.execute(ns, NsSockets::listHereIfAny)).isEmpty();
                Netns.execute(ns, () -> view.noteHere(own));
                assertThat(view.mayHoldTcp(own))
                        .as("sockstat6, opened inside, counts no TCP")
                        .isFalse();
            }
        }
    }

    @Test
    void aViewOpenedInsideCountsThatNamespacesSocketsFromOutsideAndTheTablesListThem() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            int own = Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0;
            assertThat(view.mayHoldTcp(own)).isFalse();
            try (ServerSocket server =
                    Netns.execute(ns, () -> new ServerSocket(9123, 1, InetAddress.getLoopbackAddress()))) {
                assertThat(view.mayHoldTcp(own)).isTrue();
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
            assertThat(view.mayHoldTcp(own)).isFalse();
        }
    }
}
