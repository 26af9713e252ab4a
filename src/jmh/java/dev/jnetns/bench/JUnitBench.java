package dev.jnetns.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jnetns.bench.suites.Suites;
import dev.jnetns.internal.PreparedNamespaces;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The JUnit-level benchmark: test classes of {@link Suites} run through the JUnit Platform {@link Launcher}, in
 * rounds that alternate a plain class and its annotated twin; the per-test cost is the median over rounds of
 * (annotated time - plain time) / tests. Writes {@code FIGURE name value unit} lines to standard output and to
 * the file given as second argument.
 *
 * <ul>
 *   <li>{@code main}: per-test cost of {@code @TransientNetns}, of the {@code @Veth} fixture, the added latency
 *       of {@code @TransientNetns} for tests with ~1 ms of work (busy, and waiting), and the {@code @Veth} fixture under JUnit
 *       parallel execution on 2 threads against sequential;
 *   <li>{@code preparedOff}: the same first three in a JVM started with {@code -Djnetns.prepared=0};
 *   <li>{@code fixtures}: T1 and T2 alone; {@code perTest}: T1, T2 and T3 (busy, waiting) alone;
 *   <li>{@code oneWay}: T1, T2 and T3 (waiting) in a JVM under {@code unshare -Ur}, where threads never return;
 *   <li>{@code soak}: after a warm-up batch, 10 batches of 1,000 {@code @TransientNetns} tests in one JVM (start
 *       it with {@code -Dbench.tests=1000} and a short {@code -Djnetns.worker.keepAliveMillis}): per-test cost
 *       of the first and last batch, descriptors and threads before and after (once jnetns' idle threads have
 *       ended), heap after full GCs after the first and the last batch.
 * </ul>
 *
 * <p>{@code -Dbench.only=NAME} runs one figure of the mode (e.g. under a profiler); {@code -Dbench.schedstat=true}
 * prints, at the end, each thread's CPU time, time waiting for a CPU (ns) and time slices, from
 * {@code /proc/self/task/TID/schedstat}: CPU spent and scheduling delay, told apart.
 */
public final class JUnitBench {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    /** Rounds run before the measured ones: the JIT compiles the new code paths meanwhile. */
    private static final int WARMUPS = Integer.getInteger("bench.warmups", 1);
    /** System property {@code bench.only}: the one figure to run (e.g. under a profiler); unset: all of the mode. */
    private static final String ONLY = System.getProperty("bench.only");

    private final Launcher launcher = LauncherFactory.create();
    private final PrintWriter out;
    private final String prefix;

    private JUnitBench(PrintWriter out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "main";
        Path file = Path.of(args.length > 1 ? args[1] : "target/bench/junit.txt");
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PrintWriter out = new PrintWriter(
                Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            switch (mode) {
                case "main" -> new JUnitBench(out, "").main();
                case "preparedOff" -> new JUnitBench(out, "preparedOff.").preparedOff();
                case "soak" -> new JUnitBench(out, "").soak();
                case "oneWay" -> new JUnitBench(out, "oneWay.").oneWay();
                case "autodetected" -> new JUnitBench(out, "").autodetected();
                case "capture" -> new JUnitBench(out, "").capture();
                case "fixtures" -> new JUnitBench(out, "").fixtures();
                case "perTest" -> new JUnitBench(out, "").perTestFigures();
                default ->
                    throw new IllegalArgumentException(
                            "mode: main, preparedOff, soak, oneWay, autodetected, capture, fixtures or perTest, not "
                                    + mode);
            }
        }
        if (Boolean.getBoolean("bench.schedstat")) {
            printSchedstat();
        }
        System.exit(0);
    }

    /** Each thread's {@code SCHED comm cpu-ns wait-ns slices}, on standard error. */
    private static void printSchedstat() throws IOException {
        List<Path> tasks;
        try (var list = Files.list(Path.of("/proc/self/task"))) {
            tasks = list.toList();
        }
        for (Path task : tasks) {
            String comm = Files.readString(task.resolve("comm")).strip();
            String[] st = Files.readString(task.resolve("schedstat")).strip().split(" ");
            System.err.println("SCHED " + comm.replace(' ', '_') + " " + st[0] + " " + st[1] + " " + st[2]);
        }
    }

    private void main() {
        perTest("transientNetns");
        perTest("vethFixture");
        perTest("transientNetnsWith1msWork");
        perTest("transientNetnsWith1msWait");
        long[] hm = PreparedNamespaces.shared().hitsAndMisses();
        figure("prepared.hitRate", 100.0 * hm[0] / Math.max(1, hm[0] + hm[1]), "%");
        autodetected();
        perTest(
                "isolationTest",
                Suites.Plain.class,
                Map.of(),
                Suites.Plain.class,
                Map.of("junit.jupiter.extensions.autodetection.enabled", "true", "jnetns.isolation", "test"));
        capture();
        parallel();
    }

    /** T1 and T2 alone, to compare settings or revisions quickly. */
    private void fixtures() {
        perTest("transientNetns");
        perTest("vethFixture");
    }

    /**
     * T1, T2 and T3 (busy, waiting) alone, e.g. one of them under a profiler ({@code -Dbench.only}); two revisions
     * are compared in one JVM by {@link InterleavedCompare} ({@code .ci/bench-compare}).
     */
    private void perTestFigures() {
        perTest("transientNetns");
        hitRate("transientNetns");
        perTest("vethFixture");
        hitRate("vethFixture");
        perTest("transientNetnsWith1msWork");
        hitRate("transientNetnsWith1msWork");
        perTest("transientNetnsWith1msWait");
        hitRate("transientNetnsWith1msWait");
    }

    private long[] hitsSoFar = {0, 0};

    /** How often a test found a prepared namespace ready since the last call: a miss makes one on the spot. */
    private void hitRate(String name) {
        if (ONLY != null && !ONLY.equals(name)) {
            return; // not run: no rate to give
        }
        long[] now = PreparedNamespaces.shared().hitsAndMisses();
        long hits = now[0] - hitsSoFar[0];
        long misses = now[1] - hitsSoFar[1];
        hitsSoFar = now;
        figure(name + ".preparedHitRate", 100.0 * hits / Math.max(1, hits + misses), "%");
    }

    /** What {@code jnetns.capture=on-failure} adds to a passing {@code @Veth} test (whose file is not written). */
    private void capture() {
        perTest(
                "captureOnFailure",
                Suites.VethFixture.class,
                Map.of(),
                Suites.VethFixture.class,
                Map.of("jnetns.capture", "on-failure"));
    }

    private void preparedOff() {
        perTest("transientNetns");
        perTest("vethFixture");
        perTest("transientNetnsWith1msWork");
        perTest("transientNetnsWith1msWait");
    }

    /**
     * Whole-suite isolation off: the auto-detected extension with {@code jnetns.isolation} unset must cost nothing,
     * measured against auto-detection with jnetns excluded (JUnit's own scan is not jnetns' cost).
     */
    private void autodetected() {
        Map<String, String> autodetect = Map.of("junit.jupiter.extensions.autodetection.enabled", "true");
        Map<String, String> withoutJnetns = Map.of(
                "junit.jupiter.extensions.autodetection.enabled", "true",
                "junit.jupiter.extensions.autodetection.exclude", "dev.jnetns.*");
        perTest("autodetectedUnset", Suites.Plain.class, withoutJnetns, Suites.Plain.class, autodetect);
        // the same comparison with nothing to tell apart: how far apart two identical runs land
        perTest("autodetectedNoise", Suites.Plain.class, withoutJnetns, Suites.Plain.class, withoutJnetns);
    }

    /** In a JVM under {@code unshare -Ur}, where jnetns runs one-way: the per-test costs of {@link #main}. */
    private void oneWay() {
        if (!dev.jnetns.internal.WorkerPool.shared().home().oneWay()) {
            throw new IllegalStateException("oneWay: start this JVM under unshare -Ur");
        }
        perTest("transientNetns");
        perTest("vethFixture");
        perTest("transientNetnsWith1msWait");
    }

    /**
     * Median over rounds of (annotated - plain) / tests for figure {@code name} ({@link Suites#pairOf}), after
     * warm-up rounds ({@code bench.warmups}, 1).
     */
    private void perTest(String name) {
        Class<?>[] pair = Suites.pairOf(name);
        perTest(name, pair[0], Map.of(), pair[1], Map.of());
    }

    /** As {@link #perTest(String)}, each class run with its configuration parameters. */
    private void perTest(
            String name, Class<?> plain, Map<String, String> plainConfig, Class<?> other, Map<String, String> config) {
        if (ONLY != null && !ONLY.equals(name)) {
            return;
        }
        for (int w = 0; w < WARMUPS; w++) {
            run(plain, plainConfig);
            run(other, config);
        }
        double[] diffs = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double base = run(plain, plainConfig);
            double with = run(other, config);
            diffs[r] = (with - base) / Suites.TESTS;
        }
        Arrays.sort(diffs);
        figure(name + ".perTest", diffs[ROUNDS / 2], "us");
    }

    private void parallel() {
        Map<String, String> concurrent = Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");
        run(Suites.VethFixture.class, concurrent);
        double[] seq = new double[ROUNDS];
        double[] par = new double[ROUNDS];
        int maxConcurrency = 0;
        for (int r = 0; r < ROUNDS; r++) {
            seq[r] = run(Suites.VethFixture.class, Map.of()) / Suites.TESTS;
            Suites.resetConcurrency();
            par[r] = run(Suites.VethFixture.class, concurrent) / Suites.TESTS;
            maxConcurrency = Math.max(maxConcurrency, Suites.maxConcurrency());
        }
        Arrays.sort(seq);
        Arrays.sort(par);
        figure("parallel.sequentialPerTest", seq[ROUNDS / 2], "us");
        figure("parallel.parallelPerTest", par[ROUNDS / 2], "us");
        figure("parallel.speedup", seq[ROUNDS / 2] / par[ROUNDS / 2], "x");
        figure("parallel.maxConcurrentTests", maxConcurrency, "tests");
    }

    private void soak() throws InterruptedException {
        run(Suites.Plain.class, Map.of()); // the JUnit engine's own classes and caches
        run(Suites.InNamespace.class, Map.of()); // and jnetns' once-per-JVM state (JNA, the home namespace)
        int[] before = settledFdsAndThreads();
        java.util.List<String> fdsBefore = listing("/proc/self/fd");
        java.util.List<String> threadsBefore = listing("/proc/self/task");
        double plainPerTest = run(Suites.Plain.class, Map.of()) / Suites.TESTS;
        double[] perTest = new double[10];
        long heapStart = 0;
        for (int batch = 0; batch < 10; batch++) {
            perTest[batch] = run(Suites.InNamespace.class, Map.of()) / Suites.TESTS;
            if (batch == 0) {
                heapStart = heapAfterGc();
            }
        }
        long heapEnd = heapAfterGc();
        int[] after = settledFdsAndThreads();
        note("soak: descriptors opened and not closed", added(fdsBefore, listing("/proc/self/fd")));
        note("soak: threads started and still running", added(threadsBefore, listing("/proc/self/task")));
        figure("soak.tests", 10.0 * Suites.TESTS, "tests");
        figure("soak.plainPerTest", plainPerTest, "us");
        figure("soak.firstBatchPerTest", perTest[0], "us");
        figure("soak.lastBatchPerTest", perTest[9], "us");
        figure("soak.lastOverFirst", perTest[9] / perTest[0], "x");
        figure("soak.fdsBefore", before[0], "fds");
        figure("soak.fdsAfter", after[0], "fds");
        figure("soak.threadsBefore", before[1], "threads");
        figure("soak.threadsAfter", after[1], "threads");
        figure("soak.heapAfterFirstBatch", heapStart / 1024.0, "KiB");
        figure("soak.heapAfterLastBatch", heapEnd / 1024.0, "KiB");
        figure("soak.heapEndOverStart", (double) heapEnd / heapStart, "x");
    }

    private double run(Class<?> testClass, Map<String, String> configuration) {
        return run(launcher, testClass, configuration);
    }

    /** Microseconds {@code launcher} took to run {@code testClass}; fails if a test did not pass. */
    static double run(Launcher launcher, Class<?> testClass, Map<String, String> configuration) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(request, listener);
        double micros = (System.nanoTime() - start) / 1e3;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTotalFailureCount() > 0 || summary.getTestsSucceededCount() != Suites.TESTS) {
            summary.printFailuresTo(
                    new PrintWriter(
                            new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true),
                    10);
            throw new IllegalStateException(testClass.getSimpleName() + ": " + summary.getTestsSucceededCount() + " of "
                    + Suites.TESTS + " tests passed");
        }
        return micros;
    }

    /** Descriptors and threads of this process, once jnetns' idle threads have ended and nothing moves. */
    private static int[] settledFdsAndThreads() throws InterruptedException {
        long keepAlive = Long.getLong("jnetns.worker.keepAliveMillis", 2000L);
        int[] last = {-1, -1};
        for (int i = 0; i < 20; i++) {
            Thread.sleep(keepAlive * 2 + 100);
            int[] now = {count("/proc/self/fd"), count("/proc/self/task")};
            if (Arrays.equals(now, last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static int count(String dir) {
        String[] names = new File(dir).list();
        if (names == null) {
            throw new UncheckedIOException(new IOException("cannot list " + dir));
        }
        return names.length;
    }

    /** What each entry of {@code /proc/self/fd} points to, or each thread's name in {@code /proc/self/task}. */
    private static java.util.List<String> listing(String dir) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] names = new File(dir).list();
        for (String name : names == null ? new String[0] : names) {
            Path entry = Path.of(dir, name);
            try {
                out.add(
                        dir.endsWith("/fd")
                                ? name + " -> " + Files.readSymbolicLink(entry)
                                : name + " "
                                        + Files.readString(entry.resolve("comm"))
                                                .trim());
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return out;
    }

    private static java.util.List<String> added(java.util.List<String> before, java.util.List<String> after) {
        java.util.List<String> out = new java.util.ArrayList<>(after);
        out.removeAll(before);
        return out;
    }

    private void note(String what, java.util.List<String> items) {
        String line = "NOTE " + what + ": " + (items.isEmpty() ? "none" : String.join(", ", items));
        System.out.println(line);
        out.println(line);
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private void figure(String name, double value, String unit) {
        String line = String.format(java.util.Locale.ROOT, "FIGURE %s%s %.3f %s", prefix, name, value, unit);
        System.out.println(line);
        out.println(line);
    }
}
