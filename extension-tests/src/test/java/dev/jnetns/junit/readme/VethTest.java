package dev.jnetns.junit.readme;

// The README's @Veth example, word for word below this line; ReadmeExampleIT runs it.
import static dev.jnetns.assertj.NetnsAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.junit.TransientNetns;
import dev.jnetns.junit.Veth;
import dev.jnetns.link.VethPair;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

@TransientNetns
class VethTest {
    @Test
    void serverIsReachableOverVeth(
            NsFd self,
            @TransientNetns("peer") NsFd peer,
            @Veth(peerNetns = "peer", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth)
            throws Exception {
        assertThat(veth.local()).isUp().hasMtu(1500).hasAddress("10.1.0.1/24");
        assertThat(veth.peer()).in(peer).isUp().hasAddress("10.1.0.2/24");
        assertThat(self).hasOnlyLinks("lo", veth.local().name()).hasRouteTo("10.1.0.0/24");

        try (ServerSocket server = new ServerSocket(7000, 50, InetAddress.getByName("10.1.0.1"))) {
            Thread echo = new Thread(
                    () -> { // inherits this test's namespace
                        try (Socket s = server.accept();
                                InputStream in = s.getInputStream()) {
                            s.getOutputStream().write(in.readNBytes(4));
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
            echo.start();
            byte[] reply = Netns.execute(
                    peer,
                    () -> { // a client in the peer namespace
                        try (Socket client = new Socket("10.1.0.1", 7000)) {
                            client.getOutputStream().write("ping".getBytes(UTF_8));
                            return client.getInputStream().readNBytes(4);
                        }
                    });
            echo.join(); // no thread left behind
            org.assertj.core.api.Assertions.assertThat(new String(reply, UTF_8)).isEqualTo("ping");
        }
    }
}
