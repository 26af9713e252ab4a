package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** Execute runs the work once, inside, and always brings the worker home. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class ExecuteTest {

    @Test
    void valueFormRunsOnceInsideAndLeavesTheCallerHome() throws Exception {
        long home = Eye.threadIno();
        AtomicInteger calls = new AtomicInteger();
        try (NsFd ns = Netns.newTransient()) {
            long[] inside = Netns.execute(ns, () -> {
                calls.incrementAndGet();
                return new long[] {Eye.threadIno(), Eye.childIno()};
            });
            assertThat(calls).hasValue(1);
            assertThat(inside[0]).as("the thread running fn").isEqualTo(ns.ino());
            assertThat(inside[1]).as("a child process started by fn").isEqualTo(ns.ino());
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsInIgnoringProcessReapers(ns.ino())).isEmpty();
        }
    }

    @Test
    void voidFormRunsOnceInsideAndLeavesTheCallerHome() throws Exception {
        long home = Eye.threadIno();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Long> inside = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (NsFd ns = Netns.newTransient()) {
            Netns.execute(ns, () -> {
                calls.incrementAndGet();
                inside.set(Eye.threadIno());
                ranOn.set(Thread.currentThread());
            });
            assertThat(calls).hasValue(1);
            assertThat(inside.get()).isEqualTo(ns.ino());
            assertThat(ranOn.get()).as("fn runs on a jnetns platform worker").isNotSameAs(Thread.currentThread());
            assertThat(ranOn.get().getName()).startsWith("jnetns-worker-");
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
        }
    }

    @Test
    void resultIsReturnedUnchanged() {
        Object value = new Object();
        try (NsFd ns = Netns.newTransient()) {
            assertThat(Netns.execute(ns, () -> value)).isSameAs(value);
            assertThat(Netns.<Object, RuntimeException>execute(ns, () -> null)).isNull();
        }
    }

    @Test
    void checkedExceptionPassesThroughAsTheSameObject() {
        IOException boom = new IOException("boom");
        AtomicInteger calls = new AtomicInteger();
        long home = Eye.threadIno();
        try (NsFd ns = Netns.newTransient()) {
            Throwable value = catchThrowable(() -> Netns.execute(ns, () -> {
                calls.incrementAndGet();
                throw boom;
            }));
            assertThat(value).isSameAs(boom);
            Throwable voidForm = catchThrowable(() -> Netns.execute(ns, (NsRunnable<IOException>) () -> {
                calls.incrementAndGet();
                throw boom;
            }));
            assertThat(voidForm).isSameAs(boom);
            assertThat(boom.getSuppressed())
                    .as("nothing was added to the work's exception")
                    .isEmpty();
            assertThat(calls).hasValue(2);
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
        }
    }

    @Test
    void throwingWorkStillRestores() {
        // scenario 4: runtime exceptions and errors alike; afterwards no thread of the JVM is inside
        long home = Eye.threadIno();
        try (NsFd ns = Netns.newTransient()) {
            for (Throwable thrown : new Throwable[] {
                new IllegalStateException("unchecked"), new AssertionError("error"), new Exception("checked")
            }) {
                AtomicReference<Long> inside = new AtomicReference<>();
                Throwable caught = catchThrowable(() -> Netns.execute(ns, () -> {
                    inside.set(Eye.threadIno());
                    throw thrown;
                }));
                assertThat(caught).isSameAs(thrown);
                assertThat(inside.get()).isEqualTo(ns.ino());
                assertThat(Eye.threadsIn(ns.ino())).as("after %s", thrown).isEmpty();
                assertThat(Eye.threadIno()).isEqualTo(home);
            }
            // and the pool still works normally afterwards
            assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ns.ino());
        }
    }

    @Test
    void nestedCallsSeeTheirOwnNamespace() {
        long home = Eye.threadIno();
        try (NsFd outer = Netns.newTransient();
                NsFd inner = Netns.newTransient()) {
            long[] seen = Netns.execute(outer, () -> {
                long before = Eye.threadIno();
                long in = Netns.execute(inner, () -> {
                    long innermost = Netns.execute(outer, Eye::threadIno);
                    assertThat(innermost).isEqualTo(outer.ino());
                    return Eye.threadIno();
                });
                long after = Eye.threadIno();
                return new long[] {before, in, after};
            });
            assertThat(seen).containsExactly(outer.ino(), inner.ino(), outer.ino());
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsIn(outer.ino())).isEmpty();
            assertThat(Eye.threadsIn(inner.ino())).isEmpty();
        }
    }

    @Test
    void executeOnAClosedHandleFailsWithoutRunningTheWork() {
        NsFd ns = Netns.newTransient();
        ns.close();
        AtomicInteger calls = new AtomicInteger();
        List<String> fds = Eye.fdTargets();
        Throwable thrown = catchThrowable(() -> Netns.execute(ns, calls::incrementAndGet));
        assertThat(thrown)
                .isInstanceOf(NetnsException.class)
                .hasMessageContaining("net:[" + ns.ino() + "]")
                .hasMessageContaining("closed");
        assertThat(((NetnsException) thrown).errnoName()).isNull();
        assertThat(calls).hasValue(0);
        assertThat(Eye.openedSince(fds)).isEmpty();
    }

    @Test
    void theCallersInterruptReachesTheWorkAndComesBack() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicReference<Boolean> callerInterrupted = new AtomicReference<>();
            Thread caller = new Thread(
                    () -> {
                        outcome.set(Netns.execute(ns, () -> {
                            started.countDown();
                            try {
                                Thread.sleep(30_000);
                                return "slept";
                            } catch (InterruptedException e) {
                                return "interrupted in " + Eye.threadIno();
                            }
                        }));
                        callerInterrupted.set(Thread.currentThread().isInterrupted());
                    },
                    "interrupted-caller");
            caller.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(10_000);
            assertThat(caller.isAlive()).isFalse();
            assertThat(outcome.get()).isEqualTo("interrupted in " + ns.ino());
            assertThat(callerInterrupted.get())
                    .as("the caller's interrupt status is kept")
                    .isTrue();
            // the interrupt meant for that work does not reach later work
            for (int i = 0; i < 5; i++) {
                assertThat(Netns.execute(ns, () -> Thread.currentThread().isInterrupted()))
                        .isFalse();
            }
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
        }
    }

    @Test
    void aCallerInterruptedBeforehandStillGetsTheWorkDone() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            Object[] seen = Eye.onNewThread("pre-interrupted", () -> {
                Thread.currentThread().interrupt();
                long ino = Netns.execute(ns, Eye::threadIno);
                return new Object[] {ino, Thread.currentThread().isInterrupted()};
            });
            assertThat(seen[0]).isEqualTo(ns.ino());
            assertThat(seen[1]).isEqualTo(true);
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
        }
    }

    @Test
    void nullArgumentsAreRejected() {
        try (NsFd ns = Netns.newTransient()) {
            assertThat(catchThrowable(() -> Netns.execute(null, () -> 1))).isInstanceOf(NullPointerException.class);
            assertThat(catchThrowable(() -> Netns.execute(ns, (NsCallable<Object, RuntimeException>) null)))
                    .isInstanceOf(NullPointerException.class);
            assertThat(catchThrowable(() -> Netns.execute(ns, (NsRunnable<RuntimeException>) null)))
                    .isInstanceOf(NullPointerException.class);
            assertThat(catchThrowable(() -> Netns.newTransient(null))).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void theWorkSeesTheCallersContextClassLoader() throws Exception {
        ClassLoader mine = new ClassLoader(getClass().getClassLoader()) {};
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(mine);
        try (NsFd ns = Netns.newTransient()) {
            assertThat(Netns.execute(ns, () -> Thread.currentThread().getContextClassLoader()))
                    .isSameAs(mine);
        } finally {
            self.setContextClassLoader(before);
        }
        try (NsFd ns = Netns.newTransient()) {
            assertThat(Netns.execute(ns, () -> Thread.currentThread().getContextClassLoader()))
                    .isSameAs(before);
        }
    }
}
