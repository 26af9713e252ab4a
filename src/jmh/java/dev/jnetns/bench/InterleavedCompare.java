package dev.jnetns.bench;

import java.io.File;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Per-test cost of two revisions, interleaved round by round in one JVM: each revision (its main classes and
 * dependencies, with this harness) is loaded in a class loader of its own, and the rounds alternate before, after,
 * after, before, ... so that the machine's drift, which moves one build's figure by up to 30 % between JVMs here,
 * falls on both sides within seconds of each other. A round is one run of the plain class and one of its
 * annotated twin (as in {@code JUnitBench}); each round gives a per-test cost per side, and the figure is the
 * distribution of (after - before) over the rounds: mean and median with 95 % bootstrap intervals, and in how many
 * rounds after was the dearer.
 *
 * <p>Usage: {@code InterleavedCompare FIGURE BEFORE_CLASSPATH AFTER_CLASSPATH [OUTPUT]}, system properties
 * {@code bench.rounds} (measured rounds per side, 60), {@code bench.warmups} (40, for the JIT) and
 * {@code bench.tests} (tests per class). Only JDK types cross the class loaders ({@link SideRunner}).
 */
public final class InterleavedCompare {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 60);
    private static final int WARMUPS = Integer.getInteger("bench.warmups", 40);
    private static final int TESTS = Integer.getInteger("bench.tests", 400);

    private InterleavedCompare() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException(
                    "usage: InterleavedCompare FIGURE BEFORE_CLASSPATH AFTER_CLASSPATH [OUTPUT]");
        }
        String figure = args[0];
        Side before = new Side("before", args[1]);
        Side after = new Side("after", args[2]);
        for (int w = 0; w < WARMUPS; w++) {
            before.round(figure);
            after.round(figure);
        }
        before.forgetHits();
        after.forgetHits();
        double[] costBefore = new double[ROUNDS];
        double[] costAfter = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            // before first in even rounds, after first in odd ones: neither side always follows the other
            if (r % 2 == 0) {
                costBefore[r] = before.round(figure);
                costAfter[r] = after.round(figure);
            } else {
                costAfter[r] = after.round(figure);
                costBefore[r] = before.round(figure);
            }
        }
        Path file = Path.of(args.length > 3 ? args[3] : "target/bench/interleaved.txt");
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PrintWriter out = new PrintWriter(
                Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            report(out, figure, before, costBefore, after, costAfter);
        }
        System.exit(0);
    }

    private static void report(
            PrintWriter out, String figure, Side before, double[] costBefore, Side after, double[] costAfter) {
        double[] diff = new double[ROUNDS];
        int afterDearer = 0;
        for (int r = 0; r < ROUNDS; r++) {
            diff[r] = costAfter[r] - costBefore[r];
            afterDearer += diff[r] > 0 ? 1 : 0;
        }
        String p = "interleaved." + figure + ".";
        figure(out, p + "before.median", median(costBefore), "us");
        figure(out, p + "before.mean", mean(costBefore), "us");
        figure(out, p + "before.hitRate", before.hitRate(), "%");
        figure(out, p + "after.median", median(costAfter), "us");
        figure(out, p + "after.mean", mean(costAfter), "us");
        figure(out, p + "after.hitRate", after.hitRate(), "%");
        double[][] ci = bootstrap(diff);
        figure(out, p + "diff.mean", mean(diff), "us");
        figure(out, p + "diff.meanLow95", ci[0][0], "us");
        figure(out, p + "diff.meanHigh95", ci[0][1], "us");
        figure(out, p + "diff.median", median(diff), "us");
        figure(out, p + "diff.medianLow95", ci[1][0], "us");
        figure(out, p + "diff.medianHigh95", ci[1][1], "us");
        figure(out, p + "diff.sd", sd(diff), "us");
        figure(out, p + "afterDearer", afterDearer, "of " + ROUNDS + " rounds");
    }

    /** 95 % percentile intervals of the mean ([0]) and the median ([1]), 10,000 resamples, a fixed seed. */
    private static double[][] bootstrap(double[] values) {
        Random random = new Random(42);
        int n = values.length;
        double[] means = new double[10_000];
        double[] medians = new double[means.length];
        double[] sample = new double[n];
        for (int b = 0; b < means.length; b++) {
            for (int i = 0; i < n; i++) {
                sample[i] = values[random.nextInt(n)];
            }
            means[b] = mean(sample);
            medians[b] = median(sample);
        }
        Arrays.sort(means);
        Arrays.sort(medians);
        int low = (int) (means.length * 0.025);
        int high = (int) (means.length * 0.975) - 1;
        return new double[][] {{means[low], means[high]}, {medians[low], medians[high]}};
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double sd(double[] values) {
        double m = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - m) * (v - m)).sum() / (values.length - 1));
    }

    private static void figure(PrintWriter out, String name, double value, String unit) {
        String line = String.format(Locale.ROOT, "FIGURE %s %.3f %s", name, value, unit);
        System.out.println(line);
        out.println(line);
    }

    /** One revision in its own class loader; its rounds run with that loader as the thread's context loader. */
    private static final class Side {
        private final ClassLoader loader;
        private final Function<String, double[]> runner;
        private long hits;
        private long misses;

        Side(String name, String classpath) throws ReflectiveOperationException, MalformedURLException {
            String[] entries = classpath.split(File.pathSeparator);
            URL[] urls = new URL[entries.length];
            for (int i = 0; i < entries.length; i++) {
                urls[i] = Path.of(entries[i]).toUri().toURL();
            }
            // the platform loader as parent: nothing of the harness, JUnit or jnetns is shared between the sides
            loader = new URLClassLoader(name, urls, ClassLoader.getPlatformClassLoader());
            runner = withContextLoader(() -> castRunner(Class.forName(SideRunner.class.getName(), true, loader)
                    .getConstructor()
                    .newInstance()));
        }

        @SuppressWarnings("unchecked")
        private static Function<String, double[]> castRunner(Object runner) {
            return (Function<String, double[]>) runner;
        }

        /** One round: the side's per-test cost, us. */
        double round(String figure) {
            double[] r = withContextLoader(() -> runner.apply(figure));
            hits += (long) r[2];
            misses += (long) r[3];
            return (r[1] - r[0]) / TESTS;
        }

        /** Counts hits and misses of the measured rounds only. */
        void forgetHits() {
            hits = 0;
            misses = 0;
        }

        double hitRate() {
            return 100.0 * hits / Math.max(1, hits + misses);
        }

        private <T> T withContextLoader(ThrowingSupplier<T> action) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return action.get();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load the side's runner", e);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws ReflectiveOperationException;
    }
}
