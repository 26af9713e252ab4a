package dev.jnetns.cli;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The command line: the demo's round trip (scenarios 1 and 3 end to end: a transient namespace the caller is not
 * in, a call executed inside it, the caller home afterwards) and the doctor, with and without the privilege.
 */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class MainTest {

    @Test
    void demoRoundTrip() throws Exception {
        String home =
                Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
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
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
                .isEqualTo(home);
    }

    @Test
    void underUnshareUrTheDemoWorksWithThreadsThatNeverReturnAndTheDoctorSaysSo() throws Exception {
        // under `unshare -Ur` a thread can enter a new namespace but never setns back (EPERM): jnetns is one-way
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        Output demo = childJvm("/usr/bin/unshare", "-Ur");
        assertThat(demo.exit).as(demo.text).isZero();
        assertThat(demo.text).contains("round trip OK");
        Output doctor = childJvmRunning("doctor", "/usr/bin/unshare", "-Ur");
        assertThat(doctor.exit).as(doctor.text).isZero();
        assertThat(doctor.text)
                .containsPattern("(?m)^  CAP_SYS_ADMIN +yes")
                .containsPattern("(?m)^  mode +user namespace sharing the host's network \\(`unshare -Ur`\\)")
                .containsPattern("(?m)^  namespace round trip +ok")
                .containsPattern("(?m)^  veth TCP echo +ok")
                .contains("verdict: jnetns works here, with limits: threads never return home");
    }

    @Test
    void underUnshareUrnTheDemoWorks() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        Output r = childJvm("/usr/bin/unshare", "-Urn");
        assertThat(r.exit).as(r.text).isZero();
        assertThat(r.text).contains("round trip OK");
    }

    private static final class Output {
        final int exit;
        final String text;

        Output(int exit, String text) {
            this.exit = exit;
            this.text = text;
        }
    }

    /** Runs {@code Main demo} in a child JVM started through {@code wrapper} (setpriv, unshare...). */
    private static Output childJvm(String... wrapper) throws Exception {
        return childJvmRunning("demo", wrapper);
    }

    /** Runs {@code Main COMMAND} in a child JVM started through {@code wrapper}. */
    private static Output childJvmRunning(String mainCommand, String... wrapper) throws Exception {
        List<String> command = new ArrayList<>(List.of(wrapper));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), mainCommand));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Output(p.exitValue(), out);
    }

    @Test
    void withoutCapSysAdminTheDemoNamesTheRealFailure() throws Exception {
        // a child JVM without CAP_SYS_ADMIN: the first thing the kernel refuses is creating the namespace
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Output r = childJvm("/usr/bin/setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin");
        assertThat(r.exit).as(r.text).isEqualTo(1);
        assertThat(r.text)
                .contains("round trip FAILED")
                .contains("unshare(CLONE_NEWNET): EPERM (Operation not permitted)")
                .doesNotContain("retired");
    }

    @Test
    void doctorChecksEverythingAndProbesTheKernel() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Doctor.run(out);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text)
                .contains(
                        "CAP_SYS_ADMIN          yes",
                        "kernel                 "
                                + Files.readString(Path.of("/proc/sys/kernel/osrelease"))
                                        .trim());
        assertThat(text).contains("namespace round trip   ok", "rtnetlink              ok: a fresh namespace has [lo]");
        // kinds this kernel has and lacks, each by the kernel's own answer
        assertThat(text).containsPattern("link kinds +yes: veth, bridge");
        assertThat(text).containsPattern("qdiscs +yes: tbf");
        assertKindsRow(
                row(text, "link kinds"),
                List.of("veth", "bridge", "vxlan", "macvlan", "tap", "dummy", "vlan", "ipvlan", "wireguard", "gretap"));
        assertKindsRow(row(text, "qdiscs"), List.of("tbf", "htb", "netem"));
        assertThat(text).containsPattern("veth TCP echo +ok: .*echoed; fixture [0-9.]+ ms, echo [0-9.]+ ms");
        assertThat(text).contains("verdict: jnetns works here").doesNotContain("FAILED");
    }

    /** The result column of the doctor's row {@code check}. */
    private static String row(String text, String check) {
        String start = String.format("  %-22s ", check);
        for (String line : text.split("\n")) {
            if (line.startsWith(start)) {
                return line.substring(start.length()).strip();
            }
        }
        throw new AssertionError("no row \"" + check + "\" in " + text);
    }

    /**
     * A row {@code yes: a, b; no: c (ERRNO the kernel's text); d (...)} names every kind the doctor tries exactly
     * once, and each kind the kernel refused with its errno (and text) in parentheses, whichever they are here.
     */
    private static void assertKindsRow(String result, List<String> probed) {
        Matcher row = Pattern.compile("yes: ([^;]*)(?:; no: (.+))?").matcher(result);
        assertThat(row.matches()).as("row %s", result).isTrue();
        List<String> all = new ArrayList<>(
                row.group(1).isEmpty() ? List.of() : List.of(row.group(1).split(", ")));
        if (row.group(2) != null) {
            Matcher entry = Pattern.compile("([a-z]+) \\(([^()]*)\\)(?:; |$)").matcher(row.group(2));
            int end = 0;
            while (entry.find() && entry.start() == end) {
                assertThat(entry.group(2))
                        .as("the kernel's reason for %s in %s", entry.group(1), result)
                        .matches("E[A-Z0-9]+( \\S.*)?");
                all.add(entry.group(1));
                end = entry.end();
            }
            assertThat(row.group(2).substring(end))
                    .as("what is not \"kind (reason)\" in %s", result)
                    .isEmpty();
        }
        assertThat(all).as("kinds in %s", result).containsExactlyInAnyOrderElementsOf(probed);
    }

    @Test
    void doctorFailsWithTheReasonWithoutCapSysAdmin() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Output r = childJvmRunning("doctor", "/usr/bin/setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin");
        assertThat(r.exit).as(r.text).isEqualTo(1);
        assertThat(r.text)
                .contains(
                        "CAP_SYS_ADMIN          no",
                        "create a namespace     FAILED: unshare(CLONE_NEWNET):" + " EPERM (Operation not permitted)",
                        "unshare -Urn",
                        "verdict: jnetns cannot work here");
    }

    @Test
    void doctorWorksRootlessUnderUnshareUrn() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        Output r = childJvmRunning("doctor", "/usr/bin/unshare", "-Urn");
        assertThat(r.exit).as(r.text).isZero();
        assertThat(r.text).contains("own user namespace", "veth TCP echo          ok", "verdict: jnetns works here");
    }
}
