package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Inside a test's namespace only {@code lo} exists, and the host's loopback is out of reach. */
class IsolationIT {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static volatile int hostPort;

    @TransientNetns
    static class Inside {
        @Test
        void looksAround() throws IOException {
            // `ip` started from this thread inherits its namespace: an independent view of the links
            SEEN.put("links", Eye.run("ip", "-j", "link", "show").output);
            SEEN.put("ino", Eye.threadIno());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), 2000);
                SEEN.put("connect", "connected");
            } catch (IOException e) {
                SEEN.put("connect", e);
            }
            // lo is up: a server on the namespace's own loopback is reachable
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                SEEN.put("ownLoopback", client.isConnected());
            }
        }
    }

    @Test
    void onlyLoopbackAndNoWayToTheHost() throws IOException {
        SEEN.clear();
        try (ServerSocket host = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            hostPort = host.getLocalPort();
            EngineExecutionResults results = Kit.run(Inside.class);
            Kit.assertAllSucceeded(results, 1);
            // the same port is reachable from the host's namespace
            try (Socket fromHost = new Socket(InetAddress.getLoopbackAddress(), hostPort)) {
                assertThat(fromHost.isConnected()).isTrue();
            }
        }
        String links = (String) Kit.get(SEEN, "links");
        assertThat(links).contains("\"ifname\":\"lo\"");
        assertThat(links.split("\"ifname\"")).as("interfaces in %s", links).hasSize(2);
        assertThat(Kit.get(SEEN, "connect")).isInstanceOf(ConnectException.class);
        assertThat(Kit.get(SEEN, "ownLoopback")).isEqualTo(true);
        // the view was taken in the test's namespace, not the host's (whose links, rootless, may be lo alone too)
        assertThat(Kit.get(SEEN, "ino")).isNotEqualTo(Eye.threadIno());
    }

    @Test
    void anUnannotatedTestStaysOnTheHost() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(Outside.class);
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.get(SEEN, "ino")).isEqualTo(Eye.threadIno());
        assertThat((String) Kit.get(SEEN, "thread")).doesNotStartWith("jnetns-worker-");
    }

    static class Outside {
        @Test
        void plain() {
            SEEN.put("ino", Eye.threadIno());
            SEEN.put("thread", Thread.currentThread().getName());
        }
    }
}
