package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.internal.WorkerPool;
import dev.jnetns.testing.Eye;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Many namespaces created, used and closed (and many calls refused, on closed handles
 * and on files that are not network namespaces) leave no descriptor and no thread behind, and a quiet JVM ends up
 * with no jnetns worker thread.
 */
@Timeout(120)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class LeakTest {
    private static final int ROUNDS = 200;

    @Test
    void transientCreateExecuteCloseLeavesNothingBehind() throws Exception {
        // warm up: the pool, JNA and the classes used below are loaded before the baseline
        try (NsFd warm = Netns.newTransient()) {
            Netns.execute(warm, Eye::threadIno);
        }
        List<String> fdsBefore = Eye.fdTargets();
        long home = Eye.threadIno();

        Set<Long> created = new HashSet<>();
        for (int i = 0; i < ROUNDS; i++) {
            try (NsFd ns = Netns.newTransient()) {
                created.add(ns.ino());
                long inside = Netns.execute(ns, Eye::threadIno);
                assertThat(inside).isEqualTo(ns.ino());
            }
        }
        // inode numbers may be reused once a namespace is gone, so "distinct" is not asserted

        assertThat(Eye.openedSince(fdsBefore))
                .as("descriptors opened by %d rounds", ROUNDS)
                .isEmpty();
        for (long ino : created) {
            assertThat(Eye.fdsPointingTo(ino))
                    .as("descriptors on net:[%d]", ino)
                    .isZero();
        }
        assertThat(Eye.threadsIn(created)).as("threads in a created namespace").isEmpty();
        assertThat(Eye.threadIno()).isEqualTo(home);

        // every live jnetns worker is idle in the pool (retired ones from other tests end soon: wait, bounded)
        WorkerPool pool = WorkerPool.shared();
        boolean settled = Eye.await(() -> Eye.javaThreadsNamed("jnetns-worker-").size() <= pool.idleCount(), 20);
        assertThat(settled)
                .as("worker threads %s vs idle %d", Eye.javaThreadsNamed("jnetns-worker-"), pool.idleCount())
                .isTrue();
        // a sequential loop needs one worker at a time: the pool did not grow with the rounds
        assertThat(pool.idleCount()).isLessThan(ROUNDS / 4);
    }

    @Test
    void enterTransientLoopLeavesNothingBehind() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        Eye.onNewThread("enter-loop", () -> {
            try (EnteredNetns warm = Netns.enterTransient()) {
                warm.ns();
            }
            List<String> fdsBefore = Eye.fdTargets();
            long home = Eye.threadIno();
            Set<Long> created = new HashSet<>();
            for (int i = 0; i < ROUNDS; i++) {
                try (EnteredNetns entered = Netns.enterTransient()) {
                    created.add(entered.ns().ino());
                }
            }
            assertThat(Eye.openedSince(fdsBefore)).isEmpty();
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsIn(created)).isEmpty();
            return null;
        });
    }

    @Test
    void failuresLeaveNoDescriptorBehind() {
        try (NsFd warm = Netns.newTransient()) {
            warm.fd();
        }
        List<NsFd> closed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NsFd ns = Netns.newTransient();
            ns.close();
            closed.add(ns);
        }
        List<String> fdsBefore = Eye.fdTargets();
        for (int i = 0; i < ROUNDS; i++) {
            for (String path : new String[] {"/nonexistent", "/etc/hostname", "/proc/self/ns/mnt", "/proc"}) {
                try {
                    NsFd.ofPath(path).close();
                } catch (NetnsException expected) {
                    // counted below
                }
            }
            for (NsFd ns : closed) {
                try {
                    Netns.execute(ns, () -> null);
                } catch (NetnsException expected) {
                    // counted below
                }
            }
        }
        assertThat(Eye.openedSince(fdsBefore)).isEmpty();
    }

    @Test
    void aQuietJvmHoldsNoWorkerThreads() throws Exception {
        // 8 callers at once need 8 workers; once quiet for the keep-alive (2 s by default) they all end
        int callers = 8;
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        CountDownLatch together = new java.util.concurrent.CountDownLatch(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        Set<Long> created = ConcurrentHashMap.newKeySet();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    try (NsFd ns = Netns.newTransient()) {
                        created.add(ns.ino());
                        return Netns.execute(ns, () -> {
                            workers.add(Thread.currentThread()); // the worker running this call
                            together.countDown();
                            together.await(30, TimeUnit.SECONDS);
                            return Eye.threadIno() - ns.ino();
                        });
                    }
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        // seen while they were in use, so a slow machine's keep-alive running out before this line cannot matter
        assertThat(workers)
                .as("workers that ran the calls at once")
                .hasSize(callers)
                .allSatisfy(w -> assertThat(w.getName()).startsWith("jnetns-worker-"));
        assertThat(together.getCount())
                .as("callers that did not get inside together")
                .isZero();
        assertThat(Eye.threadsIn(created)).isEmpty();

        for (Thread worker : workers) {
            worker.join(30_000);
        }
        assertThat(workers.stream().filter(Thread::isAlive).map(Thread::getName))
                .as("workers of the calls still alive after their keep-alive")
                .isEmpty();
        boolean allEnded = Eye.await(
                () -> Eye.javaThreadsNamed("jnetns-worker-").isEmpty()
                        && WorkerPool.shared().idleCount() == 0,
                30);
        assertThat(allEnded)
                .as("worker threads left: %s", Eye.javaThreadsNamed("jnetns-worker-"))
                .isTrue();
        // and jnetns still works afterwards, on a new worker
        try (NsFd ns = Netns.newTransient()) {
            assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ns.ino());
        }
    }
}
