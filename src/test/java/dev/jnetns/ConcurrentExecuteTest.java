package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** Scenario 5: many concurrent execute calls each see their own target and leave every caller home. */
@Timeout(120)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class ConcurrentExecuteTest {
    private static final int CALLS = 200;

    private final List<NsFd> targets = new ArrayList<>();
    private long home;

    @BeforeEach
    void createTargets() {
        home = Eye.threadIno();
        for (int i = 0; i < CALLS; i++) {
            targets.add(Netns.newTransient());
        }
    }

    @AfterEach
    void closeTargets() {
        Set<Long> inos = targets.stream().map(NsFd::ino).collect(Collectors.toSet());
        targets.forEach(NsFd::close);
        assertThat(Eye.threadsIn(inos)).as("threads left in a target namespace").isEmpty();
    }

    @Test
    void platformThreadCallers() throws Exception {
        int threads = 16;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            // the first call of every caller waits until all 16 are inside at once, so they truly overlap
            CountDownLatch allInside = new CountDownLatch(threads);
            Set<Thread> callerThreads = ConcurrentHashMap.newKeySet();
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < threads; c++) {
                int first = c;
                results.add(callers.submit(() -> {
                    callerThreads.add(Thread.currentThread());
                    List<Long> seen = new ArrayList<>();
                    for (int i = first; i < CALLS; i += threads) {
                        NsFd target = targets.get(i);
                        boolean wait = i == first;
                        long callerBefore = Eye.threadIno();
                        long inside = Netns.execute(target, () -> {
                            if (wait) {
                                allInside.countDown();
                                allInside.await(30, TimeUnit.SECONDS);
                            }
                            return Eye.threadIno();
                        });
                        long callerAfter = Eye.threadIno();
                        seen.add(target.ino() == inside && callerBefore == home && callerAfter == home ? 1L : -i - 1L);
                    }
                    return seen.stream().mapToLong(Long::longValue).toArray();
                }));
            }
            int total = 0;
            for (Future<long[]> f : results) {
                long[] seen = f.get(60, TimeUnit.SECONDS);
                assertThat(seen).as("1 = own target seen and caller home; -(i+1) = call i went wrong").containsOnly(1L);
                total += seen.length;
            }
            assertThat(total).isEqualTo(CALLS);
            assertThat(allInside.getCount()).as("all 16 callers were inside at once").isZero();
            assertThat(callerThreads).hasSize(threads);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void virtualThreadCallers() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ExecutorService callers =
                (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            // all 200 wait inside until every one of them is in: 200 namespaces entered at once
            CountDownLatch allInside = new CountDownLatch(CALLS);
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                NsFd target = targets.get(i);
                results.add(callers.submit(() -> {
                    long callerBefore = Eye.threadIno(); // a virtual thread sees its carrier's namespace
                    long inside = Netns.execute(target, () -> {
                        allInside.countDown();
                        allInside.await(60, TimeUnit.SECONDS);
                        return Eye.threadIno();
                    });
                    return new long[] {target.ino(), inside, callerBefore, Eye.threadIno()};
                }));
            }
            for (Future<long[]> f : results) {
                long[] r = f.get(90, TimeUnit.SECONDS);
                assertThat(r[1]).as("seen inside").isEqualTo(r[0]);
                assertThat(r[2]).as("carrier before").isEqualTo(home);
                assertThat(r[3]).as("carrier after").isEqualTo(home);
            }
            assertThat(allInside.getCount()).isZero();
        } finally {
            callers.shutdown();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
