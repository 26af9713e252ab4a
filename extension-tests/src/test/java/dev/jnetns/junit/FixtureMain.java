package dev.jnetns.junit;

import java.util.Arrays;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Runs one fixture class in a JVM of its own (see {@link Kit#runInChildJvm}), for checks that need a JVM no other
 * test has touched: libraries' JVM-wide pools start once per JVM. Prints a line per finished test ({@code TEST
 * name: SUCCESSFUL} or {@code FAILED message}) and per report entry ({@code ENTRY {key=value}}).
 */
public final class FixtureMain {
    private FixtureMain() {}

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?> fixture = Class.forName(args[0]);
        EngineExecutionResults results = Kit.run(fixture, Arrays.copyOfRange(args, 1, args.length));
        results.testEvents().finished().stream().forEach(e -> {
            TestExecutionResult result = e.getPayload(TestExecutionResult.class).orElseThrow();
            System.out.println("TEST " + e.getTestDescriptor().getDisplayName() + ": " + result.getStatus()
                    + result.getThrowable().map(t -> " " + t.getMessage()).orElse(""));
        });
        results.allEvents().reportingEntryPublished().stream()
                .forEach(e -> System.out.println(
                        "ENTRY " + e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs()));
        System.exit(0);
    }
}
