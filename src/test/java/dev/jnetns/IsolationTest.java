package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jnetns.testing.Eye;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** A fresh namespace has only lo, and the host's loopback is out of reach. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class IsolationTest {

    @Test
    void onlyLoExistsAndItIsUp() {
        try (NsFd ns = Netns.newTransient()) {
            Eye.Result link = Netns.execute(ns, () -> Eye.run("ip", "-j", "link"));
            assertThat(link.exit).as("%s", link).isZero();
            assertThat(Eye.ifnames(link.output)).containsExactly("lo");
            assertThat(Eye.flagsOf(link.output, "lo")).contains("UP", "LOOPBACK");
            // the listing is the namespace's: a process started the same way runs inside it
            assertThat(Netns.execute(ns, Eye::childIno))
                    .as("namespace of a process started inside")
                    .isEqualTo(ns.ino());
            // and the eye does see another list at home: an ip started from this thread runs in the host's
            // namespace (whose links besides lo this test cannot know: rootless, there may be none)
            assertThat(Eye.childIno())
                    .as("namespace of a process started at home")
                    .isEqualTo(Eye.threadIno())
                    .isNotEqualTo(ns.ino());
            assertThat(Eye.ifnames(Eye.run("ip", "-j", "link").output))
                    .as("the host's list has its own lo")
                    .contains("lo");
        }
    }

    @Test
    void loStaysDownWhenAsked() {
        try (NsFd ns = Netns.newTransient(Netns.Lo.DOWN)) {
            Eye.Result link = Netns.execute(ns, () -> Eye.run("ip", "-j", "link"));
            assertThat(Eye.ifnames(link.output)).containsExactly("lo");
            assertThat(Eye.flagsOf(link.output, "lo")).contains("LOOPBACK").doesNotContain("UP");
        }
    }

    @Test
    void theHostsLoopbackIsOutOfReach() throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
                NsFd ns = Netns.newTransient()) {
            InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
            Throwable inside = Netns.execute(
                    ns,
                    () -> catchThrowable(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(address, 5000);
                        }
                    }));
            assertThat(inside).as("connect from inside").isInstanceOf(ConnectException.class);

            // the same port from the host works
            try (Socket s = new Socket()) {
                s.connect(address, 5000);
                assertThat(s.isConnected()).isTrue();
                try (Socket accepted = server.accept()) {
                    assertThat(accepted.getInetAddress()).isEqualTo(loopback);
                }
            }
        }
    }

    @Test
    void aListenerInsideIsReachableOnlyFromInside() throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (NsFd ns = Netns.newTransient()) {
            // a socket belongs to the namespace of the thread that created it, for life
            ServerSocket server = Netns.execute(ns, () -> new ServerSocket(0, 50, loopback));
            try (server) {
                InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
                boolean connectedInside = Netns.execute(ns, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(address, 5000);
                        return s.isConnected();
                    }
                });
                assertThat(connectedInside).isTrue();
                try (Socket s = new Socket()) {
                    assertThat(catchThrowable(() -> s.connect(address, 5000)))
                            .as("connect from the host")
                            .isInstanceOf(ConnectException.class);
                }
            }
        }
    }

    @Test
    void enterTransientAlsoBringsLoUp() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        Eye.Result link = Eye.onNewThread("enterer", () -> {
            try (EnteredNetns entered = Netns.enterTransient()) {
                return Eye.run("ip", "-j", "link");
            }
        });
        assertThat(Eye.ifnames(link.output)).containsExactly("lo");
        assertThat(Eye.flagsOf(link.output, "lo")).contains("UP");
    }
}
