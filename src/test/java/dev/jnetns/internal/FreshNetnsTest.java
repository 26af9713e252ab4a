package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A namespace made on demand (no prepared one was ready) comes with what a prepared one has, when asked: a test's
 * leftovers check then needs no thread sent inside, whichever way its namespaces were made.
 */
@Timeout(60)
class FreshNetnsTest {
    private static FreshNetns makeOnDemand(boolean viewSockets) {
        WorkerPool pool = WorkerPool.shared();
        Worker worker = pool.acquire();
        try {
            return worker.run(() -> worker.makeFreshHere(true, viewSockets));
        } finally {
            pool.release(worker);
        }
    }

    @Test
    void oneMadeOnDemandComesWithAViewOfItsOwnSocketCounters() throws Exception {
        FreshNetns fresh = makeOnDemand(true);
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
        } finally {
            fresh.close();
        }
    }

    @Test
    void oneMadeOnlyToProbeOpensNoView() {
        FreshNetns fresh = makeOnDemand(false);
        try {
            assertThat(fresh.sockets()).isNull();
        } finally {
            fresh.close();
        }
    }
}
