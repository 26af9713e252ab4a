package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The configuration parameters, parsed once into a record: defaults, each value, and misspellings named. */
class JnetnsConfigurationTest {
    private static JnetnsConfiguration parse(Map<String, String> parameters) {
        return JnetnsConfiguration.parse(key -> Optional.ofNullable(parameters.get(key)));
    }

    @Test
    void unsetParametersTakeTheirDefaults() {
        assertThat(parse(Map.of()))
                .isEqualTo(new JnetnsConfiguration(
                        false,
                        new LeakPolicy(true, false, true, true, 200, List.of()),
                        Placement.Isolation.NONE,
                        true,
                        new CaptureSettings(
                                TransientNetns.Capture.OFF,
                                java.nio.file.Path.of("target/jnetns-captures"),
                                65535,
                                8 << 20)));
    }

    @Test
    void eachParameterIsRead() {
        JnetnsConfiguration c = parse(Map.of(
                TransientNetns.UNPRIVILEGED_KEY, "skip",
                TransientNetns.LEAKED_THREADS_KEY, " warn ",
                TransientNetns.LEAKED_THREADS_GRACE_KEY, "1500",
                TransientNetns.SHARED_POOL_THREADS_KEY, "fail",
                TransientNetns.LEAKED_PROCESSES_KEY, "warn",
                TransientNetns.LEAKED_THREADS_IGNORE_KEY, "cache-.*, my pool-\\d+ ,"));
        assertThat(c.skipUnprivileged()).isTrue();
        assertThat(parse(Map.of(TransientNetns.ISOLATION_KEY, "test")).isolation())
                .isEqualTo(Placement.Isolation.TEST);
        assertThat(parse(Map.of(TransientNetns.ISOLATION_KEY, " class")).isolation())
                .isEqualTo(Placement.Isolation.CLASS);
        assertThat(parse(Map.of(TransientNetns.STATE_ON_FAILURE_KEY, "false")).stateOnFailure())
                .isFalse();
        assertThat(parse(Map.of(
                                TransientNetns.CAPTURE_KEY, "on-failure",
                                TransientNetns.CAPTURE_DIR_KEY, "/tmp/caps",
                                TransientNetns.CAPTURE_SNAP_LENGTH_KEY, "128",
                                TransientNetns.CAPTURE_BUFFER_KEY, "4096"))
                        .capture())
                .isEqualTo(new CaptureSettings(
                        TransientNetns.Capture.ON_FAILURE, java.nio.file.Path.of("/tmp/caps"), 128, 4096));
        assertThat(parse(Map.of(TransientNetns.CAPTURE_KEY, "always")).capture().mode())
                .isEqualTo(TransientNetns.Capture.ALWAYS);
        LeakPolicy leaks = c.leaks();
        assertThat(leaks.failThreads()).isFalse();
        assertThat(leaks.failSharedPoolThreads()).isTrue();
        assertThat(leaks.failProcesses()).isFalse();
        assertThat(leaks.graceMillis()).isEqualTo(1500);
        assertThat(leaks.ignores("cache-evictor")).isTrue();
        assertThat(leaks.ignores("my pool-12")).isTrue();
        assertThat(leaks.ignores("my pool-x")).isFalse();
        assertThat(leaks.ignores("a cache-evictor")).as("whole names only").isFalse();
        assertThat(parse(Map.of(TransientNetns.LEAKED_THREADS_GRACE_KEY, "-5"))
                        .leaks()
                        .graceMillis())
                .isZero();
    }

    @Test
    void aMisspelledValueFailsNamingItsKey() {
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.UNPRIVILEGED_KEY, "skp")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.UNPRIVILEGED_KEY + " must be fail or skip, was \"skp\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.LEAKED_THREADS_KEY, "WARN")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.LEAKED_THREADS_KEY + " must be fail or warn, was \"WARN\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.LEAKED_THREADS_GRACE_KEY, "2s")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.LEAKED_THREADS_GRACE_KEY + " must be a number of milliseconds, was \"2s\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.SHARED_POOL_THREADS_KEY, "error")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.SHARED_POOL_THREADS_KEY + " must be warn or fail, was \"error\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.LEAKED_PROCESSES_KEY, "kill")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.LEAKED_PROCESSES_KEY + " must be fail or warn, was \"kill\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.ISOLATION_KEY, "method")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.ISOLATION_KEY + " must be none, test or class, was \"method\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.STATE_ON_FAILURE_KEY, "off")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.STATE_ON_FAILURE_KEY + " must be true or false, was \"off\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.CAPTURE_KEY, "on_failure")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.CAPTURE_KEY + " must be off, on-failure or always, was \"on_failure\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.CAPTURE_SNAP_LENGTH_KEY, "10")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.CAPTURE_SNAP_LENGTH_KEY
                        + " must be a number of bytes from 64 to 1048576, was \"10\"");
        assertThatThrownBy(() -> parse(Map.of(
                        TransientNetns.CAPTURE_SNAP_LENGTH_KEY, "2000", TransientNetns.CAPTURE_BUFFER_KEY, "1k")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(TransientNetns.CAPTURE_BUFFER_KEY
                        + " must be a number of bytes from 2000 to 1099511627776, was \"1k\"");
        assertThatThrownBy(() -> parse(Map.of(TransientNetns.LEAKED_THREADS_IGNORE_KEY, "pool-(")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith(
                        TransientNetns.LEAKED_THREADS_IGNORE_KEY + ": \"pool-(\" is not a regular expression: ");
    }
}
