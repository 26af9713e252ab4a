package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.SysException;
import dev.jnetns.testing.Capabilities;
import dev.jnetns.testing.Eye;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** The worker pool on its own: keep-alive, hand-over under churn, what a new worker inherits. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class WorkerPoolTest {

    private static long threadIno() throws Exception {
        String link =
                Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        return Long.parseLong(link.substring(5, link.length() - 1));
    }

    @Test
    void idleWorkersEndAfterTheKeepAlive() throws Exception {
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 50);
        Worker worker = pool.acquire();
        Thread thread = worker.thread();
        assertThat(worker.run(WorkerPoolTest::threadIno)).isEqualTo(pool.home().ino());
        pool.release(worker);
        assertThat(pool.idleCount()).isEqualTo(1);
        thread.join(10_000);
        assertThat(thread.isAlive()).as("the idle worker ended").isFalse();
        assertThat(pool.idleCount()).isZero();
        assertThat(worker.isRetired()).isFalse();
        // the pool carries on with a new worker
        Worker next = pool.acquire();
        try {
            assertThat(next.thread()).isNotSameAs(thread);
            assertThat(next.run(() -> "ok")).isEqualTo("ok");
        } finally {
            pool.release(next);
        }
    }

    @Test
    void aBusyWorkerOutlivesItsKeepAlive() throws Exception {
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 20);
        Worker worker = pool.acquire();
        try {
            worker.run(() -> null);
            Thread.sleep(200); // held, not idle: many keep-alive periods pass
            assertThat(worker.thread().isAlive()).isTrue();
            assertThat(worker.run(() -> "still here")).isEqualTo("still here");
        } finally {
            pool.release(worker);
        }
    }

    @Test
    void handOverSurvivesKeepAliveChurn() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // two-way pool behaviour
        // a keep-alive of 1 ms makes idle workers time out all the time while callers take them
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 1);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try (NsFd ns = Netns.newTransient()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                results.add(callers.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 300; i++) {
                        Worker w = pool.acquire();
                        try {
                            threads.add(w.thread());
                            long inside = w.runIn(ns.fd(), ns.ino(), "test", WorkerPoolTest::threadIno);
                            if (inside == ns.ino() && !w.isAway()) {
                                ok++;
                            }
                            if (i % 50 == 0) {
                                Thread.sleep(3); // let idle ones time out
                            }
                        } finally {
                            pool.release(w);
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(50, TimeUnit.SECONDS)).isEqualTo(300);
            }
        } finally {
            callers.shutdownNow();
        }
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive())
                    .as("%s ended after its keep-alive", t.getName())
                    .isFalse();
        }
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void aNewWorkerStartsAtHomeEvenWhenCreatedFromInsideANamespace() throws Exception {
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 100);
        try (NsFd ns = Netns.newTransient()) {
            long seen = Netns.execute(ns, () -> {
                // this thread is inside ns; the worker it creates inherits ns until it is sent home
                Worker w = pool.acquire();
                try {
                    return w.run(WorkerPoolTest::threadIno);
                } finally {
                    pool.release(w);
                }
            });
            assertThat(seen).isEqualTo(pool.home().ino()).isNotEqualTo(ns.ino());
        }
    }

    @Test
    void aNewWorkerDoesNotInheritTheCreatorsThreadLocals() throws Exception {
        InheritableThreadLocal<String> context = new InheritableThreadLocal<>();
        context.set("the first caller's secret");
        try {
            WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 100);
            Worker w = pool.acquire(); // a new worker, started by this thread
            try {
                assertThat(w.run(context::get))
                        .as("work must not see the thread-locals of whoever happened to start the worker")
                        .isNull();
            } finally {
                pool.release(w);
            }
        } finally {
            context.remove();
        }
    }

    @Test
    void releaseBringsAWorkerLeftAwayHome() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // two-way pool behaviour
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 100);
        try (NsFd ns = Netns.newTransient()) {
            Worker w = pool.acquire();
            w.enter(ns.fd(), ns.ino(), "test");
            assertThat(w.isAway()).isTrue();
            assertThat(w.run(WorkerPoolTest::threadIno)).isEqualTo(ns.ino());
            pool.release(w);
            assertThat(w.isAway()).isFalse();
            assertThat(pool.idleCount()).isEqualTo(1);
            Worker again = pool.acquire();
            try {
                assertThat(again).isSameAs(w);
                assertThat(again.run(WorkerPoolTest::threadIno))
                        .isEqualTo(pool.home().ino());
            } finally {
                pool.release(again);
            }
        }
    }

    @Test
    void releaseDropsAWorkerThatCannotGoHome() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // two-way pool behaviour
        WorkerPool pool = new WorkerPool(WorkerPool.shared().home(), 100);
        try (NsFd ns = Netns.newTransient()) {
            Worker w = pool.acquire();
            w.enter(ns.fd(), ns.ino(), "test");
            w.run(() -> {
                Capabilities.dropSysAdminFromThisThread(); // its way home now fails, for real
                return null;
            });
            pool.release(w);
            assertThat(w.isRetired()).isTrue();
            assertThat(pool.idleCount()).isZero();
            w.thread().join(10_000);
            assertThat(w.thread().isAlive()).isFalse();
            Worker next = pool.acquire();
            try {
                assertThat(next).isNotSameAs(w);
            } finally {
                pool.release(next);
            }
            assertThat(catchThrowable(() -> w.run(() -> null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("retired");
        }
    }

    @Test
    void aDescriptorThatLeadsToAnotherNamespaceIsRefusedAndTheWorkerGoesHome() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // two-way pool behaviour
        WorkerPool pool = WorkerPool.shared();
        try (dev.jnetns.NsFd meant = dev.jnetns.Netns.newTransient();
                dev.jnetns.NsFd other = dev.jnetns.Netns.newTransient()) {
            Worker w = pool.acquire();
            try {
                // as if `meant` had been closed and its number reused for `other`
                Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                        () -> w.runIn(other.fd(), meant.ino(), "meant", () -> "ran"));
                assertThat(refused)
                        .isInstanceOf(dev.jnetns.internal.sys.SysException.class)
                        .hasMessageContaining("led to net:[" + other.ino() + "]");
                assertThat(w.isAway()).isFalse();
                assertThat(w.isRetired()).isFalse();
            } finally {
                pool.release(w);
            }
        }
    }

    @Test
    void whenTheFailureReachesTheCallerTheRetiredThreadIsOutOfTheNamespace() {
        // even though the retired thread may not have ended yet (and its OS thread outlives Thread.join a little)
        try (NsFd ns = Netns.newTransient()) {
            for (int i = 0; i < 20; i++) {
                // a pool whose home descriptor the task closes: the way home fails for real (EBADF), while the
                // thread keeps the privilege to leave for an empty namespace of its own
                int homeFd = NsFiles.openNetns("/proc/self/ns/net");
                WorkerPool pool = new WorkerPool(
                        new HomeNetns(homeFd, WorkerPool.shared().home().ino()), 100);
                Worker w = pool.acquire();
                Throwable e = catchThrowable(() -> w.runIn(ns.fd(), ns.ino(), "test", () -> {
                    NsFiles.close(homeFd);
                    return null;
                }));
                assertThat(e)
                        .isInstanceOf(SysException.class)
                        .hasMessageContaining("retired")
                        .hasMessageNotContaining("stays where it is");
                // no join: the check comes right after the call, as the JUnit extension's would
                assertThat(Eye.threadsIn(ns.ino())).as("round %d", i).isEmpty();
                pool.release(w);
            }
        }
    }
}
