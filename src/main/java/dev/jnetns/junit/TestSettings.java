package dev.jnetns.junit;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the suite's configuration and the annotations on a test method, its class and enclosing classes decide for
 * its tests: where they run, how leftovers are judged, and whether packets are captured. Each is worked out once
 * per method and class run, when first asked (a misdeclaration fails where it did), and kept in the store of the
 * test's parent, which lives as long as that run: asking JUnit's annotation search and the configuration again
 * cost every test about 20 us.
 */
final class TestSettings {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestSettings.class);

    private final Optional<Placement> placement;
    private final Lazy<LeakPolicy> leaks = new Lazy<>();
    private final Lazy<CaptureSettings> capture = new Lazy<>();

    private TestSettings(Optional<Placement> placement) {
        this.placement = placement;
    }

    /** The settings of {@code context}'s test (a method); its placement is worked out on the first of its tests. */
    static TestSettings of(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        // get and put, not getOrComputeIfAbsent: a misdeclaration then fails each test unchanged, in every JUnit
        ExtensionContext.Store store = context.getParent().orElse(context).getStore(STORE);
        TestSettings known = store.get(method, TestSettings.class);
        if (known == null) {
            known = new TestSettings(Placement.ofTest(context));
            store.put(method, known);
        }
        return known;
    }

    /** Where the test runs: empty in the JVM's namespace. */
    Optional<Placement> placement() {
        return placement;
    }

    /** How the test's leftovers are judged; {@code context} is the test's. */
    LeakPolicy leaks(ExtensionContext context) {
        return leaks.get(() -> LeakPolicy.of(context));
    }

    /** Whether and how the test's packets are captured; {@code context} is the test's. */
    CaptureSettings capture(ExtensionContext context) {
        return capture.get(() -> CaptureSettings.of(context));
    }

    /**
     * A value worked out by the first test that asks. Tests of one method may run at once and would work out the
     * same value; one that fails to is not kept, so that it fails again next time.
     */
    private static final class Lazy<T> {
        private volatile T value;

        T get(Supplier<T> workOut) {
            T known = value;
            if (known == null) {
                known = workOut.get();
                value = known;
            }
            return known;
        }
    }
}
