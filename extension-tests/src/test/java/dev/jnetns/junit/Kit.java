package dev.jnetns.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jnetns.testing.Eye;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventStatistics;

/**
 * Runs fixture classes through the JUnit Platform as a user's build would. The kernel's view of this process
 * (threads, descriptors, namespaces) comes from {@link dev.jnetns.testing.Eye}.
 */
final class Kit {
    private Kit() {}

    static EngineExecutionResults run(Class<?> fixture, String... config) {
        return builder(config).selectors(selectClass(fixture)).execute();
    }

    /** As {@link #run} with several classes, one after the other in one run. */
    static EngineExecutionResults run(List<Class<?>> fixtures, String... config) {
        return builder(config).selectors(selectors(fixtures)).execute();
    }

    private static DiscoverySelector[] selectors(List<Class<?>> fixtures) {
        return fixtures.stream().map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new);
    }

    /** As {@link #run} with JUnit's parallel execution forced on (4 threads, everything concurrent). */
    static EngineExecutionResults runParallel(Class<?> fixture, String... config) {
        return runParallel(List.of(fixture), config);
    }

    /** As {@link #runParallel(Class, String...)} with several classes, run concurrently too. */
    static EngineExecutionResults runParallel(List<Class<?>> fixtures, String... config) {
        EngineTestKit.Builder builder = builder(config)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        return builder.selectors(selectors(fixtures)).execute();
    }

    private static EngineTestKit.Builder builder(String... config) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
        for (String each : config) {
            int eq = each.indexOf('=');
            builder.configurationParameter(each.substring(0, eq), each.substring(eq + 1));
        }
        return builder;
    }

    /**
     * Runs {@code fixture} in a new JVM with this one's class path (through {@link FixtureMain}) and returns what
     * it printed: a line per finished test and per report entry.
     */
    static String runInChildJvm(Class<?> fixture, String... config) {
        Eye.Result result = Eye.run(childJvm(fixture, config).toArray(String[]::new));
        if (result.exit != 0) {
            throw new AssertionError("the child JVM failed: " + result);
        }
        return result.output;
    }

    /** The command that runs {@code fixture} in a new JVM with this one's class path. */
    static List<String> childJvm(Class<?> fixture, String... config) {
        List<String> args = new ArrayList<>(List.of(fixture.getName()));
        args.addAll(List.of(config));
        return dev.jnetns.testing.ChildJvm.command(FixtureMain.class.getName(), args.toArray(String[]::new));
    }

    /**
     * Asserts the test events' statistics, as {@code results.testEvents().assertStatistics} does; a mismatch shows
     * each failed test's cause, not only the counts.
     */
    static void assertStatistics(
            EngineExecutionResults results, java.util.function.Consumer<EventStatistics> statistics) {
        try {
            results.testEvents().assertStatistics(statistics);
        } catch (AssertionError e) {
            AssertionError explained =
                    new AssertionError(e.getMessage() + "\nfailed tests:\n" + String.join("\n", failures(results)));
            explained.addSuppressed(e);
            throw explained;
        }
    }

    /** Each failed test of {@code results} with its cause's stack trace. */
    private static List<String> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": "
                        + e.getPayload(TestExecutionResult.class)
                                .flatMap(TestExecutionResult::getThrowable)
                                .map(Kit::stackTrace)
                                .orElse("?"))
                .toList();
    }

    /** Asserts that {@code count} tests ran and all passed; a failure shows each failed test's cause. */
    static void assertAllSucceeded(EngineExecutionResults results, int count) {
        List<String> failures = failures(results);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " failed: " + String.join("\n", failures));
        }
        assertStatistics(results, stats -> stats.succeeded(count).failed(0));
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    static <K, V> V get(Map<K, V> map, K key) {
        V value = map.get(key);
        if (value == null) {
            throw new AssertionError("fixture did not record " + key + "; recorded: " + map.keySet());
        }
        return value;
    }
}
