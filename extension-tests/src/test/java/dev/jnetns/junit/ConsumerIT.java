package dev.jnetns.junit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jnetns.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jnetns as a consumer's build meets it: a Maven project that declares jnetns <em>before</em> JUnit, with the
 * packaged jar and this pom published to a file repository, built with Maven from the same local repository. jnetns
 * brings no JUnit of its own, so the consumer's JUnit runs the tests, whatever its version and wherever it is
 * declared.
 */
class ConsumerIT {
    private static final String VERSION = "0.0.0-consumer-it";

    @ParameterizedTest(name = "JUnit {0}")
    @ValueSource(strings = {"6.1.3", "5.9.3"})
    void jnetnsDeclaredBeforeJUnitLeavesTheConsumersJUnitInCharge(String junit, @TempDir Path dir) throws Exception {
        String localRepository = System.getProperty("jnetns.it.localRepository");
        assumeThat(localRepository)
                .as("run by Failsafe, which names the local repository")
                .isNotNull();
        Path repo = publish(dir.resolve("repo"));
        // Maven keeps what it fetched: the copy from an earlier run (of other code) must not stand in for this one
        Path cached = Path.of(localRepository, "dev/jnetns/jnetns", VERSION);
        deleteTree(cached);
        Path project = dir.resolve("consumer");
        Files.createDirectories(project.resolve("src/test/java/example"));
        Files.writeString(project.resolve("pom.xml"), pom(junit, repo));
        Files.writeString(project.resolve("src/test/java/example/InNamespaceTest.java"), """
                package example;

                import static org.junit.jupiter.api.Assertions.assertEquals;
                import static org.junit.jupiter.api.Assertions.assertNotEquals;

                import dev.jnetns.NsFd;
                import dev.jnetns.junit.TransientNetns;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import org.junit.jupiter.api.Test;

                class InNamespaceTest {
                    @Test
                    @TransientNetns
                    void runsInside(NsFd ns) throws Exception {
                        String here = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                        assertEquals("net:[" + ns.ino() + "]", here);
                        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), here);
                        System.out.println("JUNIT " + org.junit.jupiter.api.Test.class.getProtectionDomain()
                                .getCodeSource().getLocation());
                    }
                }
                """);
        List<String> command = new ArrayList<>(List.of(
                "mvn",
                "-B",
                "-Dmaven.repo.local=" + localRepository,
                "-Dstyle.color=never",
                "test",
                // the resolution as Maven sees it: Surefire aligns JUnit's jars on its own class path, which
                // other runners and IDEs do not, so the resolution itself must hold one JUnit
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list"));
        ProcessBuilder build =
                new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = build.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        deleteTree(cached);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("BUILD SUCCESS")
                .containsPattern("JUNIT .*/junit-jupiter-api-" + junit.replace(".", "\\.") + "\\.jar")
                .contains("org.junit.jupiter:junit-jupiter-api:jar:" + junit + ":test")
                .doesNotContainPattern(
                        "org\\.junit\\.jupiter:junit-jupiter-api:jar:(?!" + junit.replace(".", "\\.") + ":)");
    }

    /**
     * Gradle resolves a POM's {@code provided} and {@code optional} dependencies as Maven does: not at all. The
     * test class path of a Gradle build that declares jnetns first holds its JNA and the consumer's JUnit alone.
     * (Debian's Gradle, 4.4, cannot run JUnit 5 tests itself; the resolution is what differed before.)
     */
    @org.junit.jupiter.api.Test
    void gradleResolvesOnlyTheConsumersJUnit(@TempDir Path dir) throws Exception {
        String localRepository = System.getProperty("jnetns.it.localRepository");
        assumeThat(localRepository).as("run by Failsafe").isNotNull();
        assumeThat(onPath("gradle"))
                .as("gradle installed (.ci/setup installs it)")
                .isTrue();
        Path repo = publish(dir.resolve("repo"));
        Path project = Files.createDirectories(dir.resolve("consumer"));
        Files.writeString(project.resolve("build.gradle"), """
                apply plugin: 'java'
                repositories {
                    maven { url '%s' }
                    maven { url '%s' }
                }
                dependencies {
                    testImplementation 'dev.jnetns:jnetns:%s'
                    testImplementation 'org.junit.jupiter:junit-jupiter:6.1.3'
                }
                """.formatted(
                        repo.toUri(), Path.of(localRepository).toUri(), VERSION));
        ProcessBuilder build = new ProcessBuilder(
                        "gradle",
                        "-q",
                        "--offline",
                        "--no-daemon",
                        "dependencies",
                        "--configuration",
                        "testRuntimeClasspath")
                .directory(project.toFile())
                .redirectErrorStream(true);
        build.environment().put("GRADLE_USER_HOME", dir.resolve("gradle-home").toString());
        Process p = build.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("+--- dev.jnetns:jnetns:" + VERSION + "\n|    \\--- net.java.dev.jna:jna:")
                .contains("org.junit.jupiter:junit-jupiter-api:6.1.3")
                .doesNotContainPattern("junit-jupiter-api:5\\.")
                .doesNotContain("assertj")
                .as("no version of anything was raised by a conflict")
                .doesNotContain(" -> ");
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path each :
                        paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
    }

    /** The packaged jar and this project's pom, as a remote repository would serve them (a fixed version). */
    private static Path publish(Path repo) throws Exception {
        Path jar = Path.of(
                Netns.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = repo.resolve("dev/jnetns/jnetns/" + VERSION);
        Files.createDirectories(dir);
        Files.copy(jar, dir.resolve("jnetns-" + VERSION + ".jar"));
        String pom = Files.readString(Path.of(System.getProperty("jnetns.it.pom")));
        Files.writeString(
                dir.resolve("jnetns-" + VERSION + ".pom"),
                pom.replaceFirst("<version>[^<]*</version>", "<version>" + VERSION + "</version>"));
        return repo;
    }

    private static String pom(String junit, Path repo) throws IOException {
        String nativeAccess = Runtime.version().feature() >= 24 ? "--enable-native-access=ALL-UNNAMED" : "";
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <repositories>
                    <repository><id>jnetns-it</id><url>%s</url></repository>
                  </repositories>
                  <dependencies>
                    <!-- jnetns first: the order that mixed JUnit versions before -->
                    <dependency>
                      <groupId>dev.jnetns</groupId>
                      <artifactId>jnetns</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.16.0</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.6.1</version>
                        <configuration><argLine>%s</argLine></configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(repo.toUri(), VERSION, junit, nativeAccess);
    }
}
