package dev.jnetns.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jnetns.bench.suites.Suites;
import dev.jnetns.internal.PreparedNamespaces;
import java.util.function.Function;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * One side of {@link InterleavedCompare}: loaded in a class loader of its own, with one revision's main classes
 * and dependencies, it runs one round of a figure (the plain class, then its annotated twin) and answers
 * {@code {plain us, annotated us, prepared hits, prepared misses}}. Only JDK types cross the class loaders.
 */
public final class SideRunner implements Function<String, double[]> {
    private final Launcher launcher = LauncherFactory.create();

    @Override
    public double[] apply(String figure) {
        Class<?>[] pair = classesOf(figure);
        long[] before = PreparedNamespaces.shared().hitsAndMisses();
        double plain = run(pair[0]);
        double annotated = run(pair[1]);
        long[] after = PreparedNamespaces.shared().hitsAndMisses();
        return new double[] {plain, annotated, after[0] - before[0], after[1] - before[1]};
    }

    private static Class<?>[] classesOf(String figure) {
        return switch (figure) {
            case "transientNetns" -> new Class<?>[] {Suites.Plain.class, Suites.InNamespace.class};
            case "vethFixture" -> new Class<?>[] {Suites.Plain.class, Suites.VethFixture.class};
            case "transientNetnsWith1msWork" -> new Class<?>[] {Suites.PlainWork.class, Suites.InNamespaceWork.class};
            case "transientNetnsWith1msWait" -> new Class<?>[] {Suites.PlainWait.class, Suites.InNamespaceWait.class};
            default ->
                throw new IllegalArgumentException("figure: transientNetns, vethFixture, transientNetnsWith1msWork"
                        + " or transientNetnsWith1msWait, not " + figure);
        };
    }

    /** Microseconds the launcher took to run {@code testClass}; fails if a test did not pass. */
    private double run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(testClass))
                        .build(),
                listener);
        double micros = (System.nanoTime() - start) / 1e3;
        long passed = listener.getSummary().getTestsSucceededCount();
        if (listener.getSummary().getTotalFailureCount() > 0 || passed != Suites.TESTS) {
            throw new IllegalStateException(
                    testClass.getSimpleName() + ": " + passed + " of " + Suites.TESTS + " tests passed");
        }
        return micros;
    }
}
