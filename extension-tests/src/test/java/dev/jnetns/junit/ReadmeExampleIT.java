package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's quick start, compiled and run as written (the fixture below is a copy of it). */
class ReadmeExampleIT {
    @TransientNetns // every test of the class gets its own fresh namespace
    static class EchoServerTest {
        ServerSocket server;

        @BeforeEach // runs inside the test's namespace too
        void start() throws IOException {
            server = new ServerSocket(8080, 50, InetAddress.getLoopbackAddress()); // never collides with the host
        }

        @Test
        void portIsFree(NsFd self) throws IOException {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), 8080)) {
                assertThat(client.isConnected()).isTrue();
            }
            server.close();
        }

        @Test
        void peerNamespaceCannotReachUs(@TransientNetns("peer") NsFd peer) throws Exception {
            assertThatThrownBy(() -> Netns.execute(peer, () -> new Socket(InetAddress.getLoopbackAddress(), 8080)))
                    .isInstanceOf(ConnectException.class); // `peer` has its own loopback
            server.close();
        }
    }

    @Test
    void theQuickStartPasses() throws IOException {
        // port 8080 is taken on the host (by us, unless something else has it): the tests still get it, each in
        // its own namespace, in parallel
        ServerSocket host = null;
        try {
            host = new ServerSocket(8080, 50, InetAddress.getLoopbackAddress());
        } catch (java.net.BindException taken) {
            // taken already: just as good
        }
        try {
            Kit.runParallel(EchoServerTest.class).testEvents()
                    .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }

    @Test
    void theProgrammaticExampleWorks() throws IOException {
        try (NsFd ns = Netns.newTransient()) {
            int port = Netns.execute(ns, () -> {
                try (ServerSocket s = new ServerSocket(0)) {
                    return s.getLocalPort();
                }
            });
            assertThat(port).isPositive();
        }
    }
}
