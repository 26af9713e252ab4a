package dev.jnetns.junit;

import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * jnetns' configuration parameters, parsed once per test run and cached in the root context's store (as JUnit's
 * own {@code TimeoutExtension} does): a misspelled value fails naming its key, before any namespace is made.
 *
 * @param skipUnprivileged {@link TransientNetns#UNPRIVILEGED_KEY} is {@code skip}
 * @param warnOnLeakedThreads {@link TransientNetns#LEAKED_THREADS_KEY} is {@code warn}
 * @param leakGraceMillis {@link TransientNetns#LEAKED_THREADS_GRACE_KEY}: how long threads may take to end
 */
record JnetnsConfiguration(boolean skipUnprivileged, boolean warnOnLeakedThreads, long leakGraceMillis) {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(JnetnsConfiguration.class);
    private static final long DEFAULT_GRACE_MILLIS = 200;

    /** The configuration of the run {@code context} belongs to. */
    static JnetnsConfiguration of(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(STORE)
                .getOrComputeIfAbsent(
                        JnetnsConfiguration.class,
                        key -> parse(root::getConfigurationParameter),
                        JnetnsConfiguration.class);
    }

    /** Parses the settings that {@code parameters} gives (by key); unset ones take their defaults. */
    static JnetnsConfiguration parse(Function<String, Optional<String>> parameters) {
        return new JnetnsConfiguration(
                choice(parameters, TransientNetns.UNPRIVILEGED_KEY, "fail", "skip")
                        .equals("skip"),
                choice(parameters, TransientNetns.LEAKED_THREADS_KEY, "fail", "warn")
                        .equals("warn"),
                graceMillis(parameters));
    }

    /** The value of {@code key}: {@code byDefault} when unset, else one of {@code byDefault} and {@code other}. */
    private static String choice(
            Function<String, Optional<String>> parameters, String key, String byDefault, String other) {
        String value = parameters.apply(key).map(String::trim).orElse(byDefault);
        if (!value.equals(byDefault) && !value.equals(other)) {
            throw new ExtensionConfigurationException(
                    key + " must be " + byDefault + " or " + other + ", was \"" + value + "\"");
        }
        return value;
    }

    private static long graceMillis(Function<String, Optional<String>> parameters) {
        String key = TransientNetns.LEAKED_THREADS_GRACE_KEY;
        String value = parameters.apply(key).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return DEFAULT_GRACE_MILLIS;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(
                    key + " must be a number of milliseconds, was \"" + value + "\"", e);
        }
    }
}
