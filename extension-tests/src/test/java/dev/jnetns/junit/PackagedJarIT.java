package dev.jnetns.junit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension tests exercise the packaged jar, as a user's build would, not the compiled classes; and the jar
 * runs as the README's first command runs it ({@code java -jar target/jnetns.jar doctor}).
 */
class PackagedJarIT {
    @Test
    void theLibraryComesFromTheJar() {
        String location =
                Netns.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(location).endsWith("/jnetns.jar");
        assertThat(TransientNetns.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toString())
                .isEqualTo(location);
    }

    /** What Central refuses a bundle without, read from the pom a consumer downloads. */
    @Test
    void thePomCarriesWhatCentralRequires() throws Exception {
        var pom = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of(System.getProperty("jnetns.it.pom")).toFile());
        var xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        for (String element : List.of(
                "name",
                "description",
                "url",
                "licenses/license/name",
                "licenses/license/url",
                "developers/developer/name",
                "scm/url",
                "scm/connection",
                "issueManagement/url")) {
            assertThat(xpath.evaluate("/project/" + element, pom).strip())
                    .as(element)
                    .isNotEmpty();
        }
        assertThat(xpath.evaluate("/project/url", pom)).startsWith("https://");
    }

    @Test
    void doctorPrintsTheTableAndSaysJnetnsWorksHere() throws Exception {
        Run run = java(jar(), "doctor");
        assertThat(run.code).as(run.out).isZero();
        assertThat(run.out)
                .startsWith("jnetns doctor")
                .containsPattern("(?m)^  kernel +"
                        + Files.readString(Path.of("/proc/sys/kernel/osrelease"))
                                .strip())
                .containsPattern("(?m)^  CAP_SYS_ADMIN +yes")
                .containsPattern("(?m)^  mode +(root|user namespace)")
                .containsPattern("(?m)^  namespace round trip +ok: created net:\\[\\d+]")
                .containsPattern("(?m)^  link kinds +yes: veth, bridge")
                .containsPattern("(?m)^  qdiscs +yes: tbf")
                .containsPattern("(?m)^  veth TCP echo +ok: .*echoed; fixture [\\d.]+ ms")
                .containsPattern("(?m)^verdict: jnetns works here(, with limits: threads never return home.*)?\n\\z");
        // its verdict agrees with its mode row
        assertThat(run.out.contains("`unshare -Ur`)")).isEqualTo(run.out.contains("with limits: threads never return"));
        // every kind or qdisc this kernel lacks is named with the kernel's own answer
        assertThat(run.out).doesNotContainPattern("no: [a-z]+ \\(\\)");
    }

    @Test
    void demoShowsTheRoundTripByInode() throws Exception {
        Run run = java(jar(), "demo");
        assertThat(run.code).as(run.out).isZero();
        List<String> lines = run.out.lines().toList();
        long before = inode(lines.get(0));
        long created = inode(lines.get(1));
        assertThat(inode(lines.get(2))).as("a thread inside").isEqualTo(created);
        assertThat(inode(lines.get(3))).as("afterwards").isEqualTo(before).isNotEqualTo(created);
        assertThat(lines.get(4)).isEqualTo("round trip OK: entered, restored, closed");
    }

    @Test
    void withoutJnaTheJarSaysWhyItCannotWork(@TempDir Path dir) throws Exception {
        Path alone = Files.copy(jar(), dir.resolve("jnetns.jar")); // no lib/jna.jar beside it
        Run run = java(alone, "doctor");
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out)
                .contains("verdict: jnetns cannot work here")
                .contains("com/sun/jna")
                .contains("keep lib/jna.jar beside jnetns.jar");
        assertThat(java(alone, "nonsense").code).isEqualTo(2);
    }

    @Test
    void theBuildShipsSourcesAndTheJavadocOfThePublicPackagesOnly() throws Exception {
        Path target = jar().getParent();
        List<String> sources = entries(target.resolve("jnetns-sources.jar"));
        assertThat(sources).contains("dev/jnetns/Netns.java", "dev/jnetns/internal/Worker.java");
        // javadoc lays the pages out under the module's name (dev.jnetns/...) when it sees one, else flat
        List<String> javadoc = entries(target.resolve("jnetns-javadoc.jar")).stream()
                .map(e -> e.startsWith("dev.jnetns/") ? e.substring("dev.jnetns/".length()) : e)
                .toList();
        assertThat(javadoc)
                .contains(
                        "dev/jnetns/Netns.html",
                        "dev/jnetns/junit/TransientNetns.html",
                        "dev/jnetns/link/Rtnl.html",
                        "dev/jnetns/assertj/NetnsAssertions.html")
                .noneMatch(e -> e.contains("dev/jnetns/internal"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                    .isEqualTo("dev.jnetns");
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return file.stream().map(java.util.jar.JarEntry::getName).toList();
        }
    }

    private static long inode(String line) {
        return Long.parseLong(line.replaceAll(".*net:\\[(\\d+)].*", "$1"));
    }

    private static Path jar() throws URISyntaxException {
        return Path.of(
                Netns.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private record Run(int code, String out) {}

    private static Run java(Path jar, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add(command);
        // started from JUnit's thread, in the host's namespace, as a user's shell would start it
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd + "\n" + out);
        }
        return new Run(p.exitValue(), out);
    }
}
