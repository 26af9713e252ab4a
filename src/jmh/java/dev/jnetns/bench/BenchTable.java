package dev.jnetns.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the table of one benchmark run from its outputs in a directory: {@code baselines-before.txt} and
 * {@code baselines-after.txt} (the C, Go and iproute2 baselines, run before and after the jnetns figures; their
 * mean is used), {@code jmh.csv} (JMH's CSV result) and {@code junit.txt} ({@link JUnitBench}'s figures). Every
 * ratio is computed from the numbers of this run. Prints Markdown.
 */
public final class BenchTable {
    private final Map<String, double[]> baselines = new LinkedHashMap<>(); // name -> {before, after}
    private final Map<String, Double> jnetns = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder();

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        BenchTable table = new BenchTable();
        table.readBaselines(dir.resolve("baselines-before.txt"), 0);
        table.readBaselines(dir.resolve("baselines-after.txt"), 1);
        table.readJmh(dir.resolve("jmh.csv"));
        table.readJUnit(dir.resolve("junit.txt"));
        System.out.print(table.render());
    }

    private void readBaselines(Path file, int slot) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            String[] w = line.trim().split("\\s+");
            for (int i = 1; i + 1 < w.length; i++) {
                if (w[i].equals("median") || w[i].equals("mean")) {
                    double[] values = baselines.computeIfAbsent(w[0], k -> new double[] {Double.NaN, Double.NaN});
                    values[slot] = Double.parseDouble(w[i + 1]);
                    break;
                }
            }
        }
    }

    private void readJmh(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            String name = cells[0].replace("\"", "");
            jnetns.put(
                    name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), Double.parseDouble(cells[4]));
        }
    }

    private void readJUnit(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("FIGURE ")) {
                String[] w = line.split(" ");
                jnetns.put(w[1], Double.parseDouble(w[2]));
            }
        }
    }

    private double base(String name) {
        double[] v = baselines.get(name);
        if (v == null) {
            return Double.NaN;
        }
        if (Double.isNaN(v[0])) {
            return v[1];
        }
        return Double.isNaN(v[1]) ? v[0] : (v[0] + v[1]) / 2;
    }

    private double fig(String name) {
        return jnetns.getOrDefault(name, Double.NaN);
    }

    String render() {
        out.append("| figure | jnetns | baseline | ratio | target | |\n|---|---|---|---|---|---|\n");
        vs("`Netns.newTransient()` + close", "NamespaceBench.newTransientAndClose", "netns-lo", null, 0);
        vs("the same, prepared off", "NamespaceBench.newTransientAndClosePreparedOff", "netns-lo", null, 0);
        vs("`newTransient(Lo.DOWN)` + close", "NamespaceBench.newTransientLoDownAndClose", "netns", null, 0);
        vs("`execute` round trip, existing namespace", "NamespaceBench.executeRoundTrip", null, null, 0);
        vs("veth create + delete in a namespace", "NamespaceBench.vethCreateAndDelete", "veth", null, 0);
        vs("T1 `@TransientNetns` per-test overhead", "transientNetns.perTest", "netns-lo", "<=", 1.15);
        vs("T1 the same, prepared off", "preparedOff.transientNetns.perTest", "netns-lo", null, 0);
        vs("T2 fixture through the API", "FixtureBench.fixture", "fixture", "<=", 1.15);
        vs("T2 fixture through the API, prepared off", "FixtureBench.fixturePreparedOff", "fixture", null, 0);
        vs(
                "T2 fixture through the API, vs C with `lo` up as jnetns has it",
                "FixtureBench.fixture",
                "fixture-lo",
                null,
                0);
        vs("T2 fixture through the API, vs Go (vishvananda/netlink)", "FixtureBench.fixture", "go-fixture", null, 0);
        vs("T2 fixture through `@Veth`, per test", "vethFixture.perTest", "fixture", "<=", 1.15);
        vs("T2 the same, prepared off", "preparedOff.vethFixture.perTest", "fixture", null, 0);
        vs("T2 `@Veth` fixture, vs C with `lo` up as jnetns has it", "vethFixture.perTest", "fixture-lo", null, 0);
        faster("T2 iproute2 / API fixture", "FixtureBench.fixture");
        faster("T2 iproute2 / `@Veth` fixture", "vethFixture.perTest");
        double ip = base("iproute2-fixture");
        row(
                "T2 (for scale) iproute2 / C `fixture`",
                "",
                "iproute2 " + fmt(ip) + " us",
                fmt(ip / base("fixture")) + "x faster",
                "",
                "");
        vs("T3 added latency, tests of ~1 ms busy work", "transientNetnsWith1msWork.perTest", "netns-lo", "<=", 0.5);
        vs("T3 the same, prepared off", "preparedOff.transientNetnsWith1msWork.perTest", "netns-lo", null, 0);
        vs(
                "T3 added latency, tests waiting ~1 ms (CPU left free)",
                "transientNetnsWith1msWait.perTest",
                "netns-lo",
                "<=",
                0.5);
        vs("T3 the same, prepared off", "preparedOff.transientNetnsWith1msWait.perTest", "netns-lo", null, 0);
        row("T3 prepared namespaces found ready", fmt(fig("prepared.hitRate")) + " %", "", "", "", "");
        vs("T1 one-way (`unshare -Ur`), per test", "oneWay.transientNetns.perTest", "netns-lo", null, 0);
        vs("T2 `@Veth` one-way (`unshare -Ur`), per test", "oneWay.vethFixture.perTest", "fixture", null, 0);
        vs("T3 waiting, one-way (`unshare -Ur`)", "oneWay.transientNetnsWith1msWait.perTest", "netns-lo", null, 0);
        vs("Auto-detected extension, `jnetns.isolation` unset, per test", "autodetectedUnset.perTest", null, null, 0);
        vs("`jnetns.isolation=test` on unannotated tests, per test", "isolationTest.perTest", "netns-lo", null, 0);
        vs("`jnetns.capture=on-failure`, added to a passing `@Veth` test", "captureOnFailure.perTest", null, null, 0);
        double nsParallel = 2 * base("netns-lo") / base("c-parallel-netns-lo");
        row(
                "T1, T3 (kernel) C `netns-lo` in 2 processes at once vs 1",
                fmt(nsParallel) + "x throughput",
                "",
                "",
                "",
                nsParallel < 1.6 ? "the kernel serialises namespace creation" : "");
        double close = fig("FixtureBench.fixture");
        double delete = fig("FixtureBench.fixtureDeletingLinks");
        row(
                "T4 fixture torn down by RTM_DELLINK, then close",
                fmt(delete) + " us",
                "closing only: " + fmt(close) + " us",
                ratio(delete / close),
                "closing cheaper",
                verdict(delete > close));
        double last = fig("soak.lastOverFirst");
        row(
                "T5 10,000 tests: last 1,000 / first 1,000",
                fmt(fig("soak.lastBatchPerTest")) + " us",
                "first: " + fmt(fig("soak.firstBatchPerTest")) + " us",
                ratio(last),
                "<= 1.10",
                verdict(last <= 1.10));
        same("T5 descriptors before / after", "soak.fdsBefore", "soak.fdsAfter");
        same("T5 threads before / after", "soak.threadsBefore", "soak.threadsAfter");
        double heap = fig("soak.heapEndOverStart");
        row(
                "T5 heap after full GC, last / first batch",
                fmt(fig("soak.heapAfterLastBatch")) + " KiB",
                fmt(fig("soak.heapAfterFirstBatch")) + " KiB",
                ratio(heap),
                "<= 1.10",
                verdict(heap <= 1.10));
        double speedup = fig("parallel.speedup");
        double cSpeedup = 2 * base("fixture") / base("c-parallel-fixture");
        boolean pass = speedup >= 1.6;
        row(
                "T6 `@Veth` fixture, JUnit parallel (2 threads, up to " + fmt(fig("parallel.maxConcurrentTests"))
                        + " tests at once) vs sequential",
                fmt(speedup) + "x throughput",
                "C `fixture`, 2 processes: " + fmt(cSpeedup) + "x",
                "",
                ">= 1.6, or kernel serialises",
                pass ? "PASS" : cSpeedup < 1.6 ? "kernel-bound (C: " + fmt(cSpeedup) + "x)" : "MISS");
        out.append("\nBaselines (median us; before / after the jnetns figures): ");
        baselines.forEach((name, v) -> out.append(name)
                .append(' ')
                .append(fmt(v[0]))
                .append(" / ")
                .append(fmt(v[1]))
                .append("; "));
        out.append('\n');
        return out.toString();
    }

    private void vs(String label, String figure, String baseline, String op, double target) {
        double value = fig(figure);
        if (Double.isNaN(value)) {
            return;
        }
        if (baseline == null) {
            row(label, fmt(value) + " us", "", "", "", "");
            return;
        }
        double b = base(baseline);
        double ratio = value / b;
        String lang = baseline.startsWith("go-") ? "Go" : "C";
        row(
                label,
                fmt(value) + " us",
                lang + " `" + baseline + "` " + fmt(b) + " us",
                ratio(ratio),
                op == null ? "" : op + " " + target,
                op == null ? "" : verdict(ratio <= target));
    }

    private void faster(String label, String figure) {
        double value = fig(figure);
        double ip = base("iproute2-fixture");
        if (Double.isNaN(value) || Double.isNaN(ip)) {
            return;
        }
        row(
                label,
                fmt(value) + " us",
                "iproute2 " + fmt(ip) + " us",
                fmt(ip / value) + "x faster",
                ">= 8",
                verdict(ip / value >= 8));
    }

    private void same(String label, String before, String after) {
        double b = fig(before);
        double a = fig(after);
        row(label, fmt(a), "before: " + fmt(b), "", "equal", verdict(a == b));
    }

    private void row(String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3fx", v);
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
