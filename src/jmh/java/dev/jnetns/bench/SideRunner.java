package dev.jnetns.bench;

import dev.jnetns.bench.suites.Suites;
import dev.jnetns.internal.PreparedNamespaces;
import java.util.Map;
import java.util.function.Function;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One side of {@link InterleavedCompare}: loaded in a class loader of its own, with one revision's main classes
 * and dependencies, it runs one round of a figure (the plain class, then its annotated twin) and answers
 * {@code {plain us, annotated us, prepared hits, prepared misses}}. Only JDK types cross the class loaders.
 */
public final class SideRunner implements Function<String, double[]> {
    private final Launcher launcher = LauncherFactory.create();

    @Override
    public double[] apply(String figure) {
        Class<?>[] pair = Suites.pairOf(figure);
        long[] before = PreparedNamespaces.shared().hitsAndMisses();
        double plain = JUnitBench.run(launcher, pair[0], Map.of());
        double annotated = JUnitBench.run(launcher, pair[1], Map.of());
        long[] after = PreparedNamespaces.shared().hitsAndMisses();
        return new double[] {plain, annotated, after[0] - before[0], after[1] - before[1]};
    }
}
