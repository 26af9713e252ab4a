package dev.jnetns.junit.readme;

// The README's quick start, word for word below this line; ReadmeExampleIT runs it.
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.junit.TransientNetns;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@TransientNetns // every test of the class gets its own fresh namespace
class EchoServerTest {
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
