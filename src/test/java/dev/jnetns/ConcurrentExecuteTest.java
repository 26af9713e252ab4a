package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnetns.testing.Eye;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** 200 concurrent execute calls from many threads each see their own target and leave every caller home. */
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
        // 200 platform threads, one per target, released together; inside, each call holds until all 200 are
        // in (bounded), so the calls truly overlap: 200 namespaces entered at once
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch allInside = new CountDownLatch(CALLS);
        AtomicInteger insideNow = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        long[][] seen = new long[CALLS][];
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            int call = i;
            NsFd target = targets.get(i);
            Thread caller = new Thread(
                    () -> {
                        try {
                            go.await();
                            long callerBefore = Eye.threadIno();
                            long[] inside = Netns.execute(target, () -> {
                                mostAtOnce.accumulateAndGet(insideNow.incrementAndGet(), Math::max);
                                try {
                                    allInside.countDown();
                                    allInside.await(60, TimeUnit.SECONDS);
                                    return new long[] {Eye.threadIno(), Eye.tid()};
                                } finally {
                                    insideNow.decrementAndGet();
                                }
                            });
                            seen[call] = new long[] {inside[0], inside[1], callerBefore, Eye.threadIno()};
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    "concurrent-caller-" + i);
            callers.add(caller);
            caller.start();
        }
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (Thread caller : callers) {
            caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        assertThat(callers.stream().filter(Thread::isAlive).map(Thread::getName))
                .as("callers still running")
                .isEmpty();
        assertThat(failures).as("what the callers threw").isEmpty();

        Set<Long> workerTids = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
            assertThat(seen[i]).as("call %d returned", i).isNotNull();
            assertThat(seen[i][0])
                    .as("call %d: namespace seen inside", i)
                    .isEqualTo(targets.get(i).ino());
            assertThat(seen[i][2]).as("call %d: caller before", i).isEqualTo(home);
            assertThat(seen[i][3]).as("call %d: caller after", i).isEqualTo(home);
            workerTids.add(seen[i][1]);
        }
        assertThat(mostAtOnce.get()).as("calls inside their namespaces at once").isEqualTo(CALLS);
        assertThat(workerTids).as("threads that ran the calls").hasSize(CALLS);
        assertThat(insideNow.get()).isZero();
        Set<Long> inos = targets.stream().map(NsFd::ino).collect(Collectors.toSet());
        assertThat(Eye.threadsIn(inos))
                .as("threads in a target namespace, still open")
                .isEmpty();
    }

    @Test
    void virtualThreadCallers() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ExecutorService callers = (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
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
