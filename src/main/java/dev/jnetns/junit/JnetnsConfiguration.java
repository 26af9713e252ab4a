package dev.jnetns.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * jnetns' configuration parameters, parsed once per test run and cached in the root context's store (as JUnit's
 * own {@code TimeoutExtension} does): a misspelled value fails naming its key, before any namespace is made.
 *
 * @param skipUnprivileged {@link TransientNetns#UNPRIVILEGED_KEY} is {@code skip}
 * @param leaks the suite-wide leak handling, which {@link NetnsLeaks} refines per class or test
 * @param isolation {@link TransientNetns#ISOLATION_KEY}: where tests without annotations run
 * @param stateOnFailure {@link TransientNetns#STATE_ON_FAILURE_KEY} is {@code true}
 * @param capture {@link TransientNetns#CAPTURE_KEY} and its siblings
 */
record JnetnsConfiguration(
        boolean skipUnprivileged,
        LeakPolicy leaks,
        Placement.Isolation isolation,
        boolean stateOnFailure,
        CaptureSettings capture) {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(JnetnsConfiguration.class);
    private static final long DEFAULT_GRACE_MILLIS = 200;

    /** The configuration of the run {@code context} belongs to. */
    // getOrComputeIfAbsent: deprecated in JUnit 6 for computeIfAbsent, which JUnit 5 lacks; jnetns runs on both
    @SuppressWarnings("deprecation")
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
                new LeakPolicy(
                        choice(parameters, TransientNetns.LEAKED_THREADS_KEY, "fail", "warn")
                                .equals("fail"),
                        choice(parameters, TransientNetns.SHARED_POOL_THREADS_KEY, "warn", "fail")
                                .equals("fail"),
                        choice(parameters, TransientNetns.LEAKED_PROCESSES_KEY, "fail", "warn")
                                .equals("fail"),
                        choice(parameters, TransientNetns.LEAKED_SOCKETS_KEY, "fail", "warn")
                                .equals("fail"),
                        graceMillis(parameters),
                        patterns(parameters)),
                isolation(parameters),
                choice(parameters, TransientNetns.STATE_ON_FAILURE_KEY, "true", "false")
                        .equals("true"),
                CaptureSettings.parse(parameters));
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

    private static Placement.Isolation isolation(Function<String, Optional<String>> parameters) {
        String key = TransientNetns.ISOLATION_KEY;
        String value = parameters.apply(key).map(String::trim).orElse("none");
        return switch (value) {
            case "none" -> Placement.Isolation.NONE;
            case "test" -> Placement.Isolation.TEST;
            case "class" -> Placement.Isolation.CLASS;
            default ->
                throw new ExtensionConfigurationException(key + " must be none, test or class, was \"" + value + "\"");
        };
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

    private static List<Pattern> patterns(Function<String, Optional<String>> parameters) {
        String key = TransientNetns.LEAKED_THREADS_IGNORE_KEY;
        List<Pattern> patterns = new ArrayList<>();
        for (String each : parameters.apply(key).orElse("").split(",", -1)) {
            if (!each.isBlank()) {
                patterns.add(compile(each.trim(), key));
            }
        }
        return List.copyOf(patterns);
    }

    /** {@code regex} compiled; a malformed one fails naming {@code where} it was given. */
    static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ExtensionConfigurationException(
                    where + ": \"" + regex + "\" is not a regular expression: " + e.getDescription(), e);
        }
    }
}
