package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
