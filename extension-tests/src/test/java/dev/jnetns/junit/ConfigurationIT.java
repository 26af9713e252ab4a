package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A configuration value jnetns does not know fails the test naming the key and what it accepts. */
class ConfigurationIT {
    static volatile boolean ran;

    @TransientNetns
    static class Fixture {
        @Test
        void test() {
            ran = true;
        }
    }

    @Test
    void aMisspelledUnprivilegedSettingFailsClearly() {
        ran = false;
        EngineExecutionResults results = Kit.run(Fixture.class, TransientNetns.UNPRIVILEGED_KEY + "=skipp");
        assertThat(ran).as("the test ran").isFalse();
        assertThat(messages(results))
                .singleElement()
                .asString()
                .endsWith("jnetns.unprivileged must be fail or skip, was \"skipp\"");
    }

    @Test
    void aMisspelledLeakedThreadsSettingFailsClearly() {
        ran = false;
        EngineExecutionResults results = Kit.run(Fixture.class, TransientNetns.LEAKED_THREADS_KEY + "=warning");
        assertThat(messages(results))
                .singleElement()
                .asString()
                .endsWith("jnetns.leakedThreads must be fail or warn, was \"warning\"");
        assertThat(ran).as("the test ran").isFalse();
    }

    @Test
    void theDocumentedValuesAreAccepted() {
        for (String config : List.of(
                TransientNetns.UNPRIVILEGED_KEY + "=skip",
                TransientNetns.UNPRIVILEGED_KEY + "=fail",
                TransientNetns.LEAKED_THREADS_KEY + "=warn",
                TransientNetns.LEAKED_THREADS_KEY + "= fail ")) {
            ran = false;
            Kit.assertStatistics(
                    Kit.run(Fixture.class, config), s -> s.succeeded(1).failed(0));
            assertThat(ran).as(config).isTrue();
        }
    }

    private static List<String> messages(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .orElseThrow())
                .map(r -> r.getThrowable().map(Throwable::getMessage).orElse(""))
                .toList();
    }
}
