package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.EnteredNetns;
import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A thread that existed before the test and was moved into the test's namespace with {@link Netns#enter} and
 * left there is reported like a thread the test started, by name; when it leaves in time, nothing is reported.
 */
class OlderThreadIT {
    /** Started before any test, as a suite-wide pool would be. */
    static ExecutorService pool;

    static final AtomicReference<EnteredNetns> STAY = new AtomicReference<>();

    @TransientNetns
    static class LeavesAnOldThreadInside {
        @Test
        void test(NsFd ns) throws Exception {
            // the pool's thread moves into the test's namespace and stays
            pool.submit(() -> STAY.set(Netns.enter(ns))).get(10, TimeUnit.SECONDS);
        }
    }

    @TransientNetns
    static class OldThreadLeavesInTime {
        @Test
        void test(NsFd ns) throws Exception {
            pool.submit(() -> {
                        try (EnteredNetns stay = Netns.enter(ns)) {
                            assertThat(Eye.threadIno()).isEqualTo(ns.ino());
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOlderThreadLeftInsideIsReportedByName() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "old-pool-thread"));
        try {
            pool.submit(() -> {}).get(); // the thread exists before the test starts
            EngineExecutionResults results = Kit.run(LeavesAnOldThreadInside.class);
            Kit.assertStatistics(results, s -> s.started(1).failed(1));
            String message = results.testEvents().failed().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow())
                    .map(r -> r.getThrowable().orElseThrow().getMessage())
                    .findFirst()
                    .orElseThrow();
            assertThat(message).contains("still running inside").contains("old-pool-thread");
        } finally {
            Future<?> back = pool.submit(() -> STAY.getAndSet(null).close()); // home, on its own thread
            back.get(10, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anOlderThreadThatLeavesIsNotReported() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "old-pool-thread"));
        try {
            pool.submit(() -> {}).get();
            Kit.assertStatistics(
                    Kit.run(OldThreadLeavesInTime.class), s -> s.started(1).succeeded(1));
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
