package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
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
        try {
            SocketViewChecks.assertViewCountsItsOwnNamespacesSockets(fresh);
        } finally {
            fresh.close();
        }
    }

    /**
     * The maker identifies it (the taker then need not) and brings {@code lo} up through the spare rtnetlink socket,
     * which stays open for the first rtnetlink handle.
     */
    @Test
    void oneMadeOnDemandIsIdentifiedAndHasLoUpAndItsSpareSocket() throws Exception {
        FreshNetns fresh = makeOnDemand(false);
        try (NsFd ns = NsFd.ofPath("/proc/self/fd/" + fresh.nsFd())) {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fresh.nsFd()))
                    .toString();
            assertThat(link).isEqualTo("net:[" + fresh.ino() + "]");
            assertThat(fresh.dev()).isEqualTo(ns.dev());
            assertThat(Eye.socketNetnsIno(fresh.rtnlSocket()))
                    .as("the spare socket's namespace")
                    .isEqualTo(fresh.ino());
            Eye.Result links = Netns.execute(ns, () -> Eye.run("ip", "-j", "link"));
            assertThat(Eye.ifnames(links.output)).containsExactly("lo");
            assertThat(Eye.flagsOf(links.output, "lo")).contains("UP", "LOOPBACK");
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
