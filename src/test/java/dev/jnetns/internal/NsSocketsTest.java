package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
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

    @Test
    void anIpv6SocketIsSeenThoughOnlyTheFirstCountersFileIsReadWhenNothingButJnetnsOwnSocketsIsOpen() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            int own = Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0; // a prepared namespace's spare rtnetlink socket
            assertThat(view.anyTcp(own)).isFalse();
            // sockstat counts an IPv6 socket only under "sockets: used"; its TCP6 count is in sockstat6
            byte[] ipv6Loopback = new byte[16];
            ipv6Loopback[15] = 1;
            InetAddress loopback6 = InetAddress.getByAddress(ipv6Loopback);
            try (ServerSocket server = Netns.execute(ns, () -> new ServerSocket(9124, 1, loopback6))) {
                assertThat(Netns.execute(ns, NsSockets::listHere))
                        .containsExactly("listening on [0:0:0:0:0:0:0:1]:9124");
                assertThat(view.anyTcp(own)).isTrue();
                assertThat(view.anyTcp()).isTrue();
                assertThat(view.anyTcp(own + 1))
                        .as(
                                "with one socket more claimed as jnetns' own, sockstat6 is skipped, and the listener missed")
                        .isFalse();
            }
            assertThat(view.anyTcp(own)).isFalse();
        }
    }

    @Test
    void aViewOpenedInsideCountsThatNamespacesSocketsFromOutsideAndTheTablesListThem() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            assertThat(view.anyTcp()).isFalse();
            try (ServerSocket server =
                    Netns.execute(ns, () -> new ServerSocket(9123, 1, InetAddress.getLoopbackAddress()))) {
                assertThat(view.anyTcp()).isTrue();
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
            assertThat(view.anyTcp()).isFalse();
        }
    }
}
