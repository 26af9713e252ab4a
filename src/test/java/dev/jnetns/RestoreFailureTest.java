package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.internal.Worker;
import dev.jnetns.internal.WorkerPool;
import dev.jnetns.testing.Capabilities;
import dev.jnetns.testing.Eye;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** A worker that cannot go home is retired, says so, and never runs anything else. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class RestoreFailureTest {
    @org.junit.jupiter.api.BeforeEach
    void threadsReturnHere() {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn();
    }

    @Test
    void forcedRestoreFailureRetiresTheWorker() throws Exception {
        long home = Eye.threadIno();
        try (NsFd ns = Netns.newTransient()) {
            AtomicReference<Thread> failed = new AtomicReference<>();
            NetnsException e = catchThrowableOfType(
                    () -> Netns.execute(ns, () -> {
                        failed.set(Thread.currentThread());
                        Capabilities.dropSysAdminFromThisThread();
                        return "done";
                    }),
                    NetnsException.class);

            assertThat(e).isNotNull();
            assertThat(e.errnoName()).isEqualTo("EPERM");
            assertThat(e.operation()).startsWith("restore " + failed.get().getName());
            assertThat(e.getMessage())
                    .contains("EPERM (Operation not permitted)")
                    .contains("retired")
                    .contains(failed.get().getName());
            assertThat(Eye.threadIno()).as("the caller").isEqualTo(home);
            // the kernel-level failure underneath, in the setns(...) form
            assertThat(e.getCause()).isInstanceOf(NetnsException.class);
            NetnsException cause = (NetnsException) e.getCause();
            assertThat(cause.operation()).isEqualTo("setns(net:[" + home + "])");
            assertThat(cause).hasMessage("setns(net:[" + home + "]): EPERM (Operation not permitted)");
            assertThat(cause.errnoName()).isEqualTo("EPERM");

            Thread retired = failed.get();
            retired.join(10_000);
            assertThat(retired.isAlive())
                    .as("the retired worker's thread ended")
                    .isFalse();
            assertThat(Eye.threadsInAfterJoin(Set.of(ns.ino())))
                    .as("nothing left inside once it ended")
                    .isEmpty();

            // the next calls (sequential and concurrent, and creating namespaces) never run on it
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            assertThat(Netns.execute(ns, () -> {
                        ranOn.add(Thread.currentThread());
                        return Eye.threadIno();
                    }))
                    .isEqualTo(ns.ino());
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    futures.add(callers.submit(() -> {
                        try (NsFd other = Netns.newTransient()) {
                            return Netns.execute(other, () -> {
                                ranOn.add(Thread.currentThread());
                                return Eye.threadIno() == other.ino() ? 1L : 0L;
                            });
                        }
                    }));
                }
                for (Future<Long> f : futures) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(ranOn).isNotEmpty().doesNotContain(retired);
            assertThat(Eye.javaThreadsNamed(retired.getName())).isEmpty();
        }
    }

    @Test
    void forcedRestoreFailureAfterAThrowingTaskKeepsTheTasksFailure() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            IllegalStateException own = new IllegalStateException("the task's own failure");
            AtomicReference<Thread> failed = new AtomicReference<>();
            NetnsException e = catchThrowableOfType(
                    () -> Netns.execute(ns, () -> {
                        failed.set(Thread.currentThread());
                        Capabilities.dropSysAdminFromThisThread();
                        throw own;
                    }),
                    NetnsException.class);
            assertThat(e).hasMessageContaining("retired");
            assertThat(e.getSuppressed()).containsExactly(own);
            failed.get().join(10_000);
            assertThat(failed.get().isAlive()).isFalse();
            assertThat(Netns.execute(ns, Thread::currentThread)).isNotSameAs(failed.get());
        }
    }

    @Test
    void aForcedFailureIsNotConsumedByAnotherWorkersRestore() throws Exception {
        // the fault is for the outer worker; a nested call restores another worker first and must not eat it
        try (NsFd outer = Netns.newTransient();
                NsFd inner = Netns.newTransient()) {
            AtomicReference<Thread> failed = new AtomicReference<>();
            NetnsException e = catchThrowableOfType(
                    () -> Netns.execute(outer, () -> {
                        failed.set(Thread.currentThread());
                        Capabilities.dropSysAdminFromThisThread();
                        Thread innerWorker = Netns.execute(inner, Thread::currentThread);
                        assertThat(innerWorker).isNotSameAs(Thread.currentThread());
                        return null;
                    }),
                    NetnsException.class);
            assertThat(e).as("the outer worker's restore failed").isNotNull();
            assertThat(e.getMessage()).contains("retired", failed.get().getName());
            failed.get().join(10_000);
            assertThat(failed.get().isAlive()).isFalse();
            assertThat(Eye.threadsInAfterJoin(Set.of(outer.ino()))).isEmpty();
            assertThat(Eye.threadsInAfterJoin(Set.of(inner.ino()))).isEmpty();
        }
    }

    @Test
    void theRetiredWorkerIsNotInThePool() throws Exception {
        WorkerPool pool = WorkerPool.shared();
        try (NsFd ns = Netns.newTransient()) {
            AtomicReference<Thread> failed = new AtomicReference<>();
            var unused = catchThrowableOfType(
                    () -> Netns.execute(ns, () -> {
                        failed.set(Thread.currentThread());
                        Capabilities.dropSysAdminFromThisThread();
                    }),
                    NetnsException.class);
            failed.get().join(10_000);
            List<Worker> taken = new ArrayList<>();
            try {
                int idle = pool.idleCount();
                for (int i = 0; i <= idle; i++) {
                    taken.add(pool.acquire());
                }
                assertThat(taken).extracting(Worker::thread).doesNotContain(failed.get());
                assertThat(taken).noneMatch(Worker::isRetired).noneMatch(Worker::isAway);
            } finally {
                taken.forEach(pool::release);
            }
        }
    }

    @Test
    void aResultNobodyReceivesIsClosed() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            List<String> before = Eye.fdTargets();
            AtomicReference<dev.jnetns.link.Rtnl> opened = new AtomicReference<>();
            // a handle opened inside (an NsFd and a socket), lost to the caller when the worker cannot come home
            NetnsException e = catchThrowableOfType(
                    () -> Netns.execute(ns, () -> {
                        Capabilities.dropSysAdminFromThisThread();
                        dev.jnetns.link.Rtnl rtnl = dev.jnetns.link.Rtnl.openCurrent();
                        opened.set(rtnl);
                        return rtnl;
                    }),
                    NetnsException.class);
            assertThat(e).hasMessageContaining("retired");
            assertThat(opened.get().isOpen()).as("closed by the worker").isFalse();
            assertThat(Eye.openedSince(before))
                    .as("descriptors left by the lost handle")
                    .isEmpty();

            // anything AutoCloseable, and a close that fails is kept with the failure
            AtomicReference<Boolean> closed = new AtomicReference<>(false);
            NetnsException again = catchThrowableOfType(
                    () -> Netns.execute(ns, () -> {
                        Capabilities.dropSysAdminFromThisThread();
                        return (AutoCloseable) () -> {
                            closed.set(true);
                            throw new IllegalStateException("close failed");
                        };
                    }),
                    NetnsException.class);
            assertThat(closed.get()).isTrue();
            assertThat(again.getSuppressed()).extracting(Throwable::getMessage).containsExactly("close failed");
        }
    }
}
