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
     * {@code fresh} has a view of its socket counters, opened on {@code sockstat}, which counts a socket listening
     * inside its namespace, and neither one listening at home nor one closed since.
     */
    static void assertViewCountsItsOwnNamespacesSockets(FreshNetns fresh) throws Exception {
        try (NsFd ns = NsFd.ofPath("/proc/self/fd/" + fresh.nsFd());
                ServerSocket atHome = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NsSockets view = fresh.sockets();
            assertThat(view).as("a view of the socket counters").isNotNull();
            int counters = view.descriptors()[0];
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + counters))
                            .toString())
                    .as("its first descriptor")
                    .endsWith("/net/sockstat");
            assertThat(view.anyTcp())
                    .as("TCP sockets counted while only the home namespace listens")
                    .isFalse();
            boolean whileListening = Netns.execute(ns, () -> {
                try (ServerSocket inside = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    assertThat(Eye.run("ss", "-Htln").output).as("ss inside").contains(":" + inside.getLocalPort());
                    return view.anyTcp();
                }
            });
            assertThat(whileListening)
                    .as("TCP sockets counted while a socket listens inside")
                    .isTrue();
            assertThat(view.anyTcp()).as("TCP sockets counted once it closed").isFalse();
        }
    }
}
