package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** 500 tests under JUnit's parallel execution each get their own namespace and leave nothing. */
class ParallelIT {
    static final Map<Integer, Long> SEEN = new ConcurrentHashMap<>();
    static final Map<Integer, String> MISMATCH = new ConcurrentHashMap<>();
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

    @TransientNetns
    static class FiveHundred {
        @RepeatedTest(500)
        void test(RepetitionInfo info, NsFd ns) throws InterruptedException {
            long ino = Eye.threadIno();
            if (ino != ns.ino()) {
                MISMATCH.put(info.getCurrentRepetition(), "thread in net:[" + ino + "], parameter " + ns);
            }
            SEEN.put(info.getCurrentRepetition(), ino);
            MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1); // let tests overlap
            } finally {
                RUNNING.decrementAndGet();
            }
            if (Eye.threadIno() != ino) {
                MISMATCH.put(info.getCurrentRepetition(), "thread moved");
            }
        }
    }

    @Test
    void fiveHundredParallelTestsLeaveDescriptorsAndThreadsAsTheyWere() {
        Kit.runParallel(FiveHundred.class); // warm-up: the parallel executor, classes, jnetns' home handle
        SEEN.clear();
        MISMATCH.clear();
        MOST_AT_ONCE.set(0);
        long host = Eye.threadIno();
        int fdsBefore = Eye.fdCountBesidesSupply();
        int threadsBefore = Eye.threadCount();

        EngineExecutionResults results = Kit.runParallel(FiveHundred.class);

        Kit.assertStatistics(results, stats -> stats.started(500).succeeded(500).failed(0));
        assertThat(MISMATCH).isEmpty();
        assertThat(SEEN).hasSize(500);
        assertThat(SEEN.values()).doesNotContain(host);
        assertThat(MOST_AT_ONCE.get())
                .as("tests inside their namespaces at once")
                .isGreaterThan(1);
        assertThat(RUNNING.get()).isZero();
        assertThat(Eye.threadIno()).isEqualTo(host);
        // namespace descriptors count too (but those of namespaces jnetns keeps ready): a leaked NsFd would show
        // jnetns' background thread may hold one briefly (see Kit.fdCount): a leak stays
        assertThat(Eye.eventually(() -> Eye.fdCountBesidesSupply() <= fdsBefore))
                .as("descriptors back to %d: %s", fdsBefore, Eye.fdList())
                .isTrue();
        for (long ino : SEEN.values()) {
            assertThat(Eye.eventually(() -> Eye.fdsPointingTo(ino) == 0))
                    .as("no descriptor left on net:[%d]: %s", ino, Eye.fdList())
                    .isTrue();
        }
        // JUnit's pool threads and idle jnetns workers end after their keep-alive times
        assertThat(Eye.eventually(() -> Eye.threadCount() <= threadsBefore))
                .as("threads back to %d, now %d", threadsBefore, Eye.threadCount())
                .isTrue();
        for (long ino : SEEN.values()) {
            assertThat(Eye.threadNamesIn(ino))
                    .as("threads left in net:[%d]", ino)
                    .isEmpty();
        }
    }
}
