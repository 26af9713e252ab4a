package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnetns.testing.Eye;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** Entering moves the calling thread, closing moves it back, on that thread only. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class EnterTest {
    @org.junit.jupiter.api.BeforeEach
    void threadsReturnHere() {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn();
    }

    @Test
    void enterTransientThenRestore() throws Exception {
        Eye.onNewThread("enterer", () -> {
            long before = Eye.threadIno();
            long inside;
            NsFd ns;
            EnteredNetns entered = Netns.enterTransient();
            try {
                ns = entered.ns();
                inside = Eye.threadIno();
                assertThat(inside).isNotEqualTo(before).isEqualTo(ns.ino());
                assertThat(Eye.childIno())
                        .as("a child process inherits the thread's namespace")
                        .isEqualTo(inside);
                assertThat(entered.toString()).contains("enterer", "net:[" + inside + "]");
            } finally {
                entered.close();
            }
            assertThat(Eye.threadIno()).isEqualTo(before);
            assertThat(Eye.childIno()).isEqualTo(before);
            assertThat(ns.isOpen())
                    .as("the transient namespace's handle is closed with the stay")
                    .isFalse();
            assertThat(Eye.fdsPointingTo(inside)).isZero();
            assertThat(Eye.threadsInIgnoringProcessReapers(inside)).isEmpty();
            entered.close(); // idempotent
            assertThat(Eye.threadIno()).isEqualTo(before);
            assertThat(entered.toString()).endsWith("(left)");
            return null;
        });
    }

    @Test
    void enterExistingThenRestoreKeepsTheHandleOpen() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            Eye.onNewThread("enterer", () -> {
                long before = Eye.threadIno();
                try (EnteredNetns entered = Netns.enter(ns)) {
                    assertThat(entered.ns()).isSameAs(ns);
                    assertThat(Eye.threadIno()).isEqualTo(ns.ino());
                    assertThat(Eye.childIno()).isEqualTo(ns.ino());
                }
                assertThat(Eye.threadIno()).isEqualTo(before);
                return null;
            });
            assertThat(ns.isOpen())
                    .as("enter(ns) leaves the handle to its owner")
                    .isTrue();
            assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ns.ino());
            assertThat(Eye.threadsInIgnoringProcessReapers(ns.ino())).isEmpty();
        }
    }

    @Test
    void nestedStaysUnwindInOrder() throws Exception {
        Eye.onNewThread("enterer", () -> {
            long home = Eye.threadIno();
            try (EnteredNetns outer = Netns.enterTransient()) {
                long outerIno = Eye.threadIno();
                assertThat(outerIno).isEqualTo(outer.ns().ino()).isNotEqualTo(home);
                try (NsFd other = Netns.newTransient();
                        EnteredNetns inner = Netns.enter(other)) {
                    assertThat(Eye.threadIno()).isEqualTo(other.ino());
                    try (EnteredNetns innermost = Netns.enterTransient()) {
                        assertThat(Eye.threadIno()).isEqualTo(innermost.ns().ino());
                    }
                    assertThat(Eye.threadIno()).isEqualTo(other.ino());
                }
                assertThat(Eye.threadIno()).isEqualTo(outerIno);
                // execute from a thread that is itself inside a namespace: the work and the worker are fine
                try (NsFd target = Netns.newTransient()) {
                    assertThat(Netns.execute(target, Eye::threadIno)).isEqualTo(target.ino());
                    assertThat(Eye.threadsIn(target.ino())).isEmpty();
                }
                assertThat(Eye.threadIno()).isEqualTo(outerIno);
            }
            assertThat(Eye.threadIno()).isEqualTo(home);
            return null;
        });
    }

    @Test
    void closeFromAnotherThreadFailsAndTheThreadStaysInside() throws Exception {
        Eye.onNewThread("enterer", () -> {
            long before = Eye.threadIno();
            EnteredNetns entered = Netns.enterTransient();
            long inside = entered.ns().ino();
            try {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread other = new Thread(() -> thrown.set(catchThrowable(entered::close)), "other-closer");
                other.start();
                other.join(10_000);
                assertThat(thrown.get())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("must be called on the thread that entered")
                        .hasMessageContaining("enterer")
                        .hasMessageContaining("other-closer");
                assertThat(Eye.threadIno())
                        .as("still inside after the failed close")
                        .isEqualTo(inside);
                assertThat(entered.ns().isOpen()).isTrue();
            } finally {
                entered.close();
            }
            assertThat(Eye.threadIno()).isEqualTo(before);
            return null;
        });
    }

    @Test
    void enterAClosedHandleFailsAndLeavesTheThreadWhereItWas() throws Exception {
        NsFd ns = Netns.newTransient();
        ns.close();
        List<String> fds = Eye.fdTargets();
        long before = Eye.threadIno();
        NetnsException e = catchThrowableOfType(() -> Netns.enter(ns), NetnsException.class);
        assertThat(e).hasMessageContaining("closed").hasMessageContaining("net:[" + ns.ino() + "]");
        assertThat(Eye.threadIno()).isEqualTo(before);
        assertThat(Eye.openedSince(fds)).isEmpty();
    }

    @Test
    void enterFromAVirtualThreadFailsClearly() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ExecutorService virtual = (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try (NsFd ns = Netns.newTransient()) {
            long home = Eye.threadIno();
            Throwable[] thrown = new Throwable[2];
            virtual.submit(() -> {
                        thrown[0] = catchThrowable(Netns::enterTransient);
                        thrown[1] = catchThrowable(() -> Netns.enter(ns));
                    })
                    .get(30, TimeUnit.SECONDS);
            for (Throwable t : thrown) {
                assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual thread");
            }
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
            assertThat(Eye.threadIno()).isEqualTo(home);
        } finally {
            virtual.shutdown();
        }
    }

    @Test
    void closingAnOuterStayBeforeTheInnerOneFailsAndMovesNothing() throws Exception {
        Eye.onNewThread("out-of-order", () -> {
            long home = Eye.threadIno();
            EnteredNetns outer = Netns.enterTransient();
            EnteredNetns inner = Netns.enterTransient();
            long innerIno = Eye.threadIno();
            Throwable wrong = catchThrowable(outer::close);
            assertThat(wrong)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("close nested stays first");
            assertThat(Eye.threadIno()).as("still in the inner namespace").isEqualTo(innerIno);
            inner.close();
            assertThat(Eye.threadIno()).isEqualTo(outer.ns().ino());
            outer.close();
            assertThat(Eye.threadIno()).isEqualTo(home);
            return null;
        });
    }
}
