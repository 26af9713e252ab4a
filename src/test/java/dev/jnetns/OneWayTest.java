package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnetns.internal.WorkerPool;
import dev.jnetns.testing.Eye;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where threads can never come back to the JVM's namespace (a JVM under {@code unshare -Ur}, as in CI's rootless
 * run): the caller's thread is never moved, and a thread that entered a namespace ends outside it.
 */
class OneWayTest {
    @BeforeEach
    void onlyWhereThreadsCannotReturn() {
        assumeTrue(
                WorkerPool.shared().home().oneWay(),
                "jnetns is two-way here: threads come back (OneWayIT covers one-way from here)");
    }

    @Test
    void enterAndEnterTransientRefuseBeforeMovingNamingExecute() {
        long home = Eye.threadIno();
        try (NsFd ns = Netns.newTransient()) {
            assertThatThrownBy(() -> Netns.enter(ns))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Netns.enter() moves the calling thread")
                    .hasMessageContaining("EPERM")
                    .hasMessageContaining("Netns.execute(ns, fn)");
            assertThatThrownBy(Netns::enterTransient)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Netns.enterTransient()");
        }
        assertThat(Eye.threadIno()).isEqualTo(home);
    }

    @Test
    void executesThreadEndsAndIsInNoTestNamespaceOnceExecuteReturns() throws Exception {
        long home = Eye.threadIno();
        try (NsFd ns = Netns.newTransient()) {
            long tid = Netns.execute(ns, Eye::tid);
            assertThat(Eye.threadIno()).isEqualTo(home);
            assertThat(Eye.threadsIn(ns.ino())).as("threads left inside").isEmpty();
            // the thread has ended, or is about to in the exit namespace
            assertThat(Eye.await(() -> !Files.exists(Path.of("/proc/self/task/" + tid)), 10))
                    .isTrue();
        }
    }
}
