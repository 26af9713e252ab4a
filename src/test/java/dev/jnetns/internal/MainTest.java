package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenario 14: the demo's round trip. */
@Timeout(60)
class MainTest {

    @Test
    void demoRoundTrip() throws Exception {
        String home = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Main.demo(out);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("round trip OK").doesNotContain("FAILED");
        assertThat(text).contains("this thread:            " + home);
        assertThat(text).contains("this thread afterwards:  " + home);
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()).isEqualTo(home);
    }

    @Test
    void withoutCapSysAdminTheDemoNamesTheRealFailure() throws Exception {
        // a child JVM without CAP_SYS_ADMIN: the first thing the kernel refuses is creating the namespace
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out)
                .contains("round trip FAILED")
                .contains("unshare(CLONE_NEWNET): EPERM (Operation not permitted)")
                .doesNotContain("retired");
    }
}
