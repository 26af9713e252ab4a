package dev.jnetns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.testing.Eye;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** The doctor's echo probe leaves no thread and no descriptor behind, whether the echo works or not. */
@Timeout(60)
@Isolated // descriptor and thread checks see the whole JVM
class KernelProbeTest {

    @Test
    void aFailedEchoClosesItsListenerAndEndsItsThread() {
        // once, working: it warms up what the JDK opens for good on first use, and must leave nothing itself
        assertThat(KernelProbe.tcpEcho()).startsWith("ok: ");
        assertThat(Eye.javaThreadsNamed("doctor-echo"))
                .as("echo threads after a working probe")
                .isEmpty();
        List<String> before = Eye.fdTargets();

        // the client knocks on a port nobody listens on: the echo thread is left waiting in accept
        assertThatThrownBy(() -> KernelProbe.tcpEcho(8))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Connection refused");
        assertThat(Eye.javaThreadsNamed("doctor-echo"))
                .as("echo threads after a failed probe")
                .isEmpty();
        assertThat(Eye.openedSince(before))
                .as("descriptors left open by the failed probe")
                .isEmpty();
    }
}
