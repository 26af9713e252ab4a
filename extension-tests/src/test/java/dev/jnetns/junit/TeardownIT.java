package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** Whatever a test does, its namespaces, descriptors and the extension's threads are cleaned up. */
class TeardownIT {
    static final Queue<Long> INOS = new ConcurrentLinkedQueue<>();
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    static volatile Thread leaked;
    static volatile boolean testRan;
    static volatile boolean interruptedAtStart;
    static final AtomicReference<NsFd> PEER = new AtomicReference<>();

    static void seen() {
        INOS.add(Eye.threadIno());
    }

    @TransientNetns
    static class Failing {
        @Test
        void fails() {
            seen();
            fail("failing on purpose");
        }
    }

    @TransientNetns
    static class FailingWithAPeer {
        @Test
        void failsHoldingAPeer(@TransientNetns("peer") NsFd peer) {
            seen();
            INOS.add(peer.ino());
            PEER.set(peer);
            fail("failing with a peer on purpose");
        }
    }

    @TransientNetns
    static class AfterEachThrows {
        @Test
        void test() {
            seen();
            testRan = true;
        }

        @AfterEach
        void after() {
            seen();
            throw new IllegalStateException("after each failed on purpose");
        }
    }

    @TransientNetns
    static class BeforeEachThrows {
        @BeforeEach
        void before() {
            seen();
            throw new IllegalStateException("before each failed on purpose");
        }

        @Test
        void test() {
            testRan = true;
        }
    }

    @TransientNetns
    static class TimesOut {
        @Test
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
        void sleepsTooLong() throws InterruptedException {
            seen();
            Thread.sleep(60_000);
        }
    }

    @TransientNetns
    static class TimesOutOnSeparateThread {
        @Test
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void sleepsTooLong() throws InterruptedException {
            seen();
            Thread.sleep(60_000);
        }
    }

    @TransientNetns
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class InterruptsItself {
        @Test
        @Order(1)
        void interrupts() {
            seen();
            Thread.currentThread().interrupt();
        }

        @Test
        @Order(2)
        void next() {
            seen();
            interruptedAtStart = Thread.currentThread().isInterrupted();
        }
    }

    @TransientNetns
    static class LeavesAThread {
        @Test
        void startsAServerAndForgetsIt() {
            seen();
            Thread t = new Thread(
                    () -> {
                        try {
                            RELEASE.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "leaky-server-thread");
            t.setDaemon(true);
            t.start();
            leaked = t;
        }
    }

    private int fdsBefore;

    @BeforeEach
    void baseline() throws InterruptedException {
        // warm-up: classes, jars, jnetns' home handle and what a failure report needs get opened once
        RELEASE = new CountDownLatch(1);
        Kit.run(LeavesAThread.class);
        RELEASE.countDown();
        leaked.join(10_000);
        INOS.clear();
        RELEASE = new CountDownLatch(1);
        fdsBefore = Eye.fdCountBesidesSupply();
    }

    private void assertNothingLeftBehind() {
        assertThat(INOS).isNotEmpty();
        for (long ino : INOS) {
            // a joined thread's kernel task may take a moment more to go
            Eye.eventually(() -> Eye.threadNamesIn(ino).isEmpty());
            assertThat(Eye.threadNamesIn(ino))
                    .as("threads left in net:[%d]", ino)
                    .isEmpty();
            // jnetns' background thread may hold one briefly (see Kit.fdCount): a leak stays
            assertThat(Eye.eventually(() -> Eye.fdsPointingTo(ino) == 0))
                    .as("no descriptor left on net:[%d]: %s", ino, Eye.fdList())
                    .isTrue();
        }
        assertThat(Eye.eventually(() -> Eye.fdCountBesidesSupply() <= fdsBefore))
                .as("descriptors of the JVM back to %d: %s", fdsBefore, Eye.fdList())
                .isTrue();
    }

    @Test
    void aFailingTestLeavesNothing() {
        EngineExecutionResults results = Kit.run(Failing.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("fails"), finishedWithFailure(message("failing on purpose"))));
        assertNothingLeftBehind();
    }

    @Test
    void aFailingTestWithAFurtherNamespaceLeavesNothing() {
        PEER.set(null);
        EngineExecutionResults results = Kit.run(FailingWithAPeer.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("failsHoldingAPeer"),
                                finishedWithFailure(message("failing with a peer on purpose"))));
        assertThat(INOS).as("the test's namespace and its peer").hasSize(2).doesNotHaveDuplicates();
        assertThat(PEER.get().isOpen()).as("%s open after the test", PEER.get()).isFalse();
        assertNothingLeftBehind();
    }

    @Test
    void aThrowingAfterEachLeavesNothing() {
        testRan = false;
        EngineExecutionResults results = Kit.run(AfterEachThrows.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("test"),
                                finishedWithFailure(
                                        instanceOf(IllegalStateException.class),
                                        message("after each failed on purpose"))));
        assertThat(testRan).isTrue();
        assertThat(INOS).as("the test and its @AfterEach, in one namespace").hasSize(2);
        assertThat(INOS.stream().distinct()).hasSize(1);
        assertNothingLeftBehind();
    }

    @Test
    void aThrowingBeforeEachLeavesNothing() {
        testRan = false;
        EngineExecutionResults results = Kit.run(BeforeEachThrows.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("test"), finishedWithFailure(message("before each failed on purpose"))));
        assertThat(testRan).isFalse();
        assertNothingLeftBehind();
    }

    @Test
    void aTimedOutTestIsPreemptedAndLeavesNothing() {
        EngineExecutionResults results = Kit.run(TimesOut.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("sleepsTooLong"), finishedWithFailure(instanceOf(TimeoutException.class))));
        assertNothingLeftBehind();
    }

    @Test
    void aTestTimedOutOnASeparateThreadLeavesNothing() {
        EngineExecutionResults results = Kit.run(TimesOutOnSeparateThread.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(test("sleepsTooLong"), finishedWithFailure()));
        // the extension interrupts the abandoned test code; the worker then goes home and ends
        assertThat(Eye.eventually(() ->
                        INOS.stream().allMatch(ino -> Eye.threadNamesIn(ino).isEmpty())))
                .isTrue();
        assertNothingLeftBehind();
    }

    @Test
    void anInterruptDoesNotReachTheNextTest() {
        interruptedAtStart = true;
        EngineExecutionResults results = Kit.run(InterruptsItself.class);
        Kit.assertAllSucceeded(results, 2);
        assertThat(interruptedAtStart).isFalse();
        assertNothingLeftBehind();
    }

    @Test
    void aThreadLeftRunningInsideIsReportedByName() throws InterruptedException {
        EngineExecutionResults results = Kit.run(LeavesAThread.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("startsAServerAndForgetsIt"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(m -> m.contains("'leaky-server-thread'")
                                                && m.contains("net:[" + INOS.peek() + "]")
                                                && m.contains(TransientNetns.LEAKED_THREADS_KEY + "=warn")))));
        assertThat(Eye.threadNamesIn(INOS.peek())).containsExactly("leaky-server-th"); // the kernel keeps 15 bytes
        RELEASE.countDown();
        leaked.join(10_000);
        assertNothingLeftBehind();
    }

    @Test
    void aLeftThreadIsOnlyAWarningWhenConfigured() throws InterruptedException {
        EngineExecutionResults results = Kit.run(LeavesAThread.class, TransientNetns.LEAKED_THREADS_KEY + "=warn");
        Kit.assertAllSucceeded(results, 1);
        List<String> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class)
                        .orElseThrow()
                        .getKeyValuePairs()
                        .toString())
                .toList();
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("leaky-server-thread"));
        RELEASE.countDown();
        leaked.join(10_000);
        assertThat(leaked.isAlive()).as("%s alive", leaked).isFalse();
        assertNothingLeftBehind();
    }
}
