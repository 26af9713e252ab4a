package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.internal.NsThreads;
import dev.jnetns.testing.Eye;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How leftover threads are classified, checked on the JDK's own threads where the JDK names them. */
class KnownThreadsTest {
    @Test
    void theJdksProcessReaperEndsOnItsOwnWhileItWaitsForAProcessAndWhenIdle() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            // the JDK renames the reaper while it waits: "process reaper (pid N)"; the kernel's name stays
            String busyName = "process reaper (pid " + sleeper.pid() + ")";
            assertThat(Eye.eventually(() -> thread(busyName).isPresent())).isTrue();
            Thread busy = thread(busyName).orElseThrow();
            assertThat(KnownThreads.kind(new NsThreads.Found(0, "process reaper", busy)))
                    .isEqualTo(KnownThreads.Kind.ENDS_ON_ITS_OWN);
        } finally {
            sleeper.destroy();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Eye.eventually(() -> thread("process reaper").isPresent())).isTrue();
        Thread idle = thread("process reaper").orElseThrow();
        assertThat(KnownThreads.kind(new NsThreads.Found(0, "process reaper", idle)))
                .isEqualTo(KnownThreads.Kind.ENDS_ON_ITS_OWN);
        // a thread whose Java object is not found is judged by the kernel's name
        assertThat(KnownThreads.kind(new NsThreads.Found(0, "process reaper", null)))
                .isEqualTo(KnownThreads.Kind.ENDS_ON_ITS_OWN);
    }

    @Test
    void threadsNamedLikeTheReaperAreStillReported() {
        for (String name : new String[] {"my process reaper", "process reaper-2", "process reaper (pid x)"}) {
            assertThat(KnownThreads.kind(new NsThreads.Found(0, name, null)))
                    .as(name)
                    .isEqualTo(KnownThreads.Kind.LEFT_RUNNING);
        }
    }

    private static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst();
    }
}
