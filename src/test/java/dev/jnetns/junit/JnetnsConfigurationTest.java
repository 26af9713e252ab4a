package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(parse(Map.of())).isEqualTo(new JnetnsConfiguration(false, false, 200));
    }

    @Test
    void eachParameterIsRead() {
        JnetnsConfiguration c = parse(Map.of(
                TransientNetns.UNPRIVILEGED_KEY, "skip",
                TransientNetns.LEAKED_THREADS_KEY, " warn ",
                TransientNetns.LEAKED_THREADS_GRACE_KEY, "1500"));
        assertThat(c).isEqualTo(new JnetnsConfiguration(true, true, 1500));
        assertThat(parse(Map.of(TransientNetns.LEAKED_THREADS_GRACE_KEY, "-5")).leakGraceMillis())
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
    }
}
