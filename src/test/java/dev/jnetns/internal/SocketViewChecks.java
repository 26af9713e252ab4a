package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the view of socket counters that comes with a namespace jnetns made must show, however it was made. */
final class SocketViewChecks {
    private SocketViewChecks() {}

    /**
     * {@code fresh} has a view of its socket counters, opened on {@code sockstat} (and {@code sockstat6} only once
     * code inside has opened sockets), which counts a socket listening inside its namespace, and neither one
     * listening at home nor one closed since.
     */
    static void assertViewCountsItsOwnNamespacesSockets(FreshNetns fresh) throws Exception {
        try (NsFd ns = NsFd.ofPath("/proc/self/fd/" + fresh.nsFd());
                ServerSocket atHome = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NsSockets view = fresh.sockets();
            assertThat(view).as("a view of the socket counters").isNotNull();
            assertThat(view.descriptors()[1]).as("sockstat6, not open yet").isEqualTo(-1);
            int counters = view.descriptors()[0];
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + counters))
                            .toString())
                    .as("its descriptor")
                    .endsWith("/net/sockstat");
            int own = fresh.rtnlSocket() >= 0 ? 1 : 0;
            assertThat(view.mayHoldTcp(own))
                    .as("TCP sockets counted while only the home namespace listens")
                    .isFalse();
            boolean whileListening = Netns.execute(ns, () -> {
                try (ServerSocket inside = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    assertThat(Eye.run("ss", "-Htln").output).as("ss inside").contains(":" + inside.getLocalPort());
                    boolean seen = view.mayHoldTcp(own);
                    view.noteHere(own); // as a test's scope does inside after each piece of code
                    return seen;
                }
            });
            assertThat(whileListening)
                    .as("TCP sockets counted while a socket listens inside")
                    .isTrue();
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + view.descriptors()[1]))
                            .toString())
                    .as("opened once a socket was seen")
                    .endsWith("/net/sockstat6");
            assertThat(view.mayHoldTcp(own))
                    .as("TCP sockets counted once it closed")
                    .isFalse();
        }
    }
}
