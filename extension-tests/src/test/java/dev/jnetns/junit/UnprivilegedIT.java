package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Without CAP_SYS_ADMIN: a child JVM started with the capability dropped from its bounding set (so even root
 * lacks it) runs a fixture and reports what JUnit saw.
 */
class UnprivilegedIT {
    @TransientNetns
    static class NeedsANamespace {
        @Test
        void test() {
            // never runs without the privilege
        }
    }

    /** Without annotations: placed by jnetns.isolation. */
    static class Unannotated {
        @Test
        void test() {
            // never runs without the privilege
        }
    }

    /**
     * Runs in the child JVM: prints one line per finished test and per skipped test or class. With
     * {@code jnetns.isolation} among the settings it runs {@link Unannotated}, else {@link NeedsANamespace}.
     */
    public static void main(String[] args) {
        boolean isolating = java.util.Arrays.stream(args).anyMatch(a -> a.startsWith(TransientNetns.ISOLATION_KEY));
        EngineExecutionResults results = Kit.run(isolating ? Unannotated.class : NeedsANamespace.class, args);
        for (Event event : results.testEvents().finished().list()) {
            var result = event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .orElseThrow();
            System.out.println("RESULT " + result.getStatus() + " "
                    + result.getThrowable().map(Throwable::getMessage).orElse(""));
        }
        // a class-level condition skips the class itself, with its tests
        for (Event event : results.allEvents().skipped().list()) {
            System.out.println(
                    "RESULT SKIPPED " + event.getPayload(String.class).orElse(""));
        }
        System.exit(0);
    }

    private static List<String> runWithoutCapSysAdmin(String... config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "setpriv",
                "--bounding-set=-sys_admin",
                "--inh-caps=-sys_admin",
                "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UnprivilegedIT.class.getName()));
        command.addAll(List.of(config));
        Path out = Files.createTempFile("jnetns-unprivileged", ".txt");
        try {
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertThat(child.waitFor(120, TimeUnit.SECONDS))
                    .as("child JVM finished")
                    .isTrue();
            List<String> lines = Files.readAllLines(out);
            assertThat(child.exitValue()).as("child JVM: %s", lines).isZero();
            return lines.stream().filter(l -> l.startsWith("RESULT ")).toList();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void withoutThePrivilegeTheTestFailsNamingTheFix() throws Exception {
        List<String> results = runWithoutCapSysAdmin();
        assertThat(results).hasSize(1);
        assertThat(results.get(0))
                .startsWith("RESULT FAILED ")
                .contains("EPERM (Operation not permitted)")
                .contains("CAP_SYS_ADMIN")
                .contains("run as root")
                .contains("unshare -Ur mvn verify")
                .contains("unshare -Urn")
                .contains(TransientNetns.UNPRIVILEGED_KEY + "=skip");
    }

    @Test
    void isolatingTheWholeSuiteWithoutThePrivilegeFailsOrSkipsAlike() throws Exception {
        String autodetect = "junit.jupiter.extensions.autodetection.enabled=true";
        String isolation = TransientNetns.ISOLATION_KEY + "=test";
        List<String> failed = runWithoutCapSysAdmin(autodetect, isolation);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0)).startsWith("RESULT FAILED ").contains("EPERM", "CAP_SYS_ADMIN", "unshare -Ur");
        List<String> skipped = runWithoutCapSysAdmin(autodetect, isolation, TransientNetns.UNPRIVILEGED_KEY + "=skip");
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0)).startsWith("RESULT SKIPPED ").contains("EPERM", "CAP_SYS_ADMIN");
    }

    @Test
    void withSkipConfiguredTheTestIsSkippedWithTheReason() throws Exception {
        List<String> results = runWithoutCapSysAdmin(TransientNetns.UNPRIVILEGED_KEY + "=skip");
        assertThat(results).hasSize(1);
        assertThat(results.get(0))
                .startsWith("RESULT SKIPPED ")
                .contains("EPERM")
                .contains("CAP_SYS_ADMIN")
                .contains("unshare -Urn");
    }

    @Test
    void withThePrivilegeSkipModeStillRunsTheTest() {
        Kit.assertStatistics(
                Kit.run(NeedsANamespace.class, TransientNetns.UNPRIVILEGED_KEY + "=skip"),
                stats -> stats.succeeded(1).skipped(0));
    }
}
