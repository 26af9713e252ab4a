package dev.jnetns.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Whether and how a test's packets are captured: the suite's {@link TransientNetns#CAPTURE_KEY} and its
 * siblings, refined by the nearest {@code @TransientNetns(capture = ...)}.
 *
 * @param mode off, on failure or always (never {@code CONFIGURED})
 * @param dir where the files go
 * @param snapLength the most bytes kept of a packet
 * @param bufferBytes the most bytes of packets kept per namespace
 */
record CaptureSettings(TransientNetns.Capture mode, Path dir, int snapLength, long bufferBytes) {
    static final String DEFAULT_DIR = "target/jnetns-captures";
    static final int DEFAULT_SNAP_LENGTH = 65535;
    static final long DEFAULT_BUFFER_BYTES = 8L << 20;

    /** Parses the suite's settings; a bad value fails naming its key. */
    static CaptureSettings parse(Function<String, Optional<String>> parameters) {
        String key = TransientNetns.CAPTURE_KEY;
        String value = parameters.apply(key).map(String::trim).orElse("off");
        TransientNetns.Capture mode = switch (value) {
            case "off" -> TransientNetns.Capture.OFF;
            case "on-failure" -> TransientNetns.Capture.ON_FAILURE;
            case "always" -> TransientNetns.Capture.ALWAYS;
            default ->
                throw new ExtensionConfigurationException(
                        key + " must be off, on-failure or always, was \"" + value + "\"");
        };
        Path dir = Path.of(parameters
                .apply(TransientNetns.CAPTURE_DIR_KEY)
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .orElse(DEFAULT_DIR));
        long snap = number(parameters, TransientNetns.CAPTURE_SNAP_LENGTH_KEY, DEFAULT_SNAP_LENGTH, 64, 1 << 20);
        long buffer = number(parameters, TransientNetns.CAPTURE_BUFFER_KEY, DEFAULT_BUFFER_BYTES, snap, 1L << 40);
        return new CaptureSettings(mode, dir, (int) snap, buffer);
    }

    private static long number(
            Function<String, Optional<String>> parameters, String key, long byDefault, long least, long most) {
        String value = parameters.apply(key).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return Math.max(byDefault, least);
        }
        try {
            long n = Long.parseLong(value);
            if (n >= least && n <= most) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ExtensionConfigurationException(
                key + " must be a number of bytes from " + least + " to " + most + ", was \"" + value + "\"");
    }

    /** The settings for {@code context}'s test: the nearest {@code capture} other than CONFIGURED wins. */
    static CaptureSettings of(ExtensionContext context) {
        CaptureSettings suite = JnetnsConfiguration.of(context).capture();
        List<AnnotatedElement> nearestFirst = new ArrayList<>();
        context.getTestMethod().ifPresent(nearestFirst::add);
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = enclosing(c)) {
            nearestFirst.add(c);
        }
        for (AnnotatedElement where : nearestFirst) {
            Optional<TransientNetns> declared = Declared.annotation(where, TransientNetns.class);
            if (declared.isPresent() && declared.get().capture() != TransientNetns.Capture.CONFIGURED) {
                return new CaptureSettings(declared.get().capture(), suite.dir, suite.snapLength, suite.bufferBytes);
            }
        }
        return suite;
    }

    private static Class<?> enclosing(Class<?> c) {
        return Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass();
    }

    boolean isOn() {
        return mode != TransientNetns.Capture.OFF;
    }
}
