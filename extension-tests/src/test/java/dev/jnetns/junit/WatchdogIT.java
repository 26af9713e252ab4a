package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.Watchdog;
import dev.jnetns.testing.Eye;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JVM killed with {@code SIGKILL} during a test that started a child process with a plain
 * {@code ProcessBuilder}: within seconds the child is gone and so is the test's namespace, while processes that
 * jnetns did not start (here, in the host's namespace and in a namespace of this JVM) keep running.
 */
class WatchdogIT {
    /**
     * With system property {@code ahead} true: repeated until a test gets a namespace the preparing thread had the
     * watchdog watch ahead (the first ones were prepared before the first test started the watchdog), or the last
     * repetition; that test starts the child. Else the first test does, whose namespace its own scope had watched.
     */
    @TransientNetns
    public static class StartsAChildAndIsKilled {
        @RepeatedTest(20)
        void startsAChild(NsFd self, RepetitionInfo repetition) throws Exception {
            boolean ahead = Watchdog.watchedAhead(self.fd());
            boolean wanted = Boolean.getBoolean("ahead");
            if (ahead != wanted && repetition.getCurrentRepetition() < repetition.getTotalRepetitions()) {
                Thread.sleep(200); // time for the preparing thread, which waits for a slow watchdog
                return;
            }
            Process child = new ProcessBuilder("sleep", "600").start();
            System.out.println("READY " + child.pid() + " " + self.ino() + " " + Watchdog.pid() + " " + ahead);
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /**
     * By namespace ids where the kernel has them (Linux 6.18 and later, as here), and by holding each test's
     * namespace open, as on older kernels; each also with a watchdog slow to read (as on a loaded machine: the JVM
     * is killed at once after its test started the child, maybe before the watchdog read of the test); and each
     * for a namespace its test's scope had watched and one the preparing thread had watched ahead. Not watched
     * ahead where the watchdog holds namespaces and is slow: each test's own round trip (a second) holds the lock,
     * which the preparing thread only tries, so that no test waits for it; the test then has it watched itself.
     */
    @ParameterizedTest(name = "holding {0}, watchdog slow {1}, namespace watched ahead {2}")
    @CsvSource({
        "false, false, false",
        "true, false, false",
        "false, true, false",
        "true, true, false",
        "false, false, true",
        "true, false, true",
        "false, true, true"
    })
    void aKilledJvmsTestProcessesEndAndOthersDoNot(boolean holding, boolean slow, boolean ahead) throws Exception {
        Process bystander = new ProcessBuilder("sleep", "600").start();
        try (NsFd other = Netns.newTransient()) {
            Process otherBystander = Netns.start(other, new ProcessBuilder("sleep", "600"));
            List<String> command = new ArrayList<>(Kit.childJvm(StartsAChildAndIsKilled.class));
            command.add(1, "-Djnetns.internal.watchdogHolds=" + holding);
            command.add(1, "-Dahead=" + ahead);
            if (slow) {
                command.add(1, "-Djnetns.internal.watchdogSlowMillis=1000");
            }
            Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String[] ready = awaitReady(jvm);
                long child = Long.parseLong(ready[1]);
                long ino = Long.parseLong(ready[2]);
                long watchdog = Long.parseLong(ready[3]);
                assertThat(Boolean.parseBoolean(ready[4]))
                        .as("the test's namespace was watched ahead, by the preparing thread (else by its scope)")
                        .isEqualTo(ahead);
                assertThat(Eye.processRuns(child)).isTrue();
                assertThat(Eye.processRuns(watchdog))
                        .as("watchdog %d", watchdog)
                        .isTrue();
                assertThat(Eye.processesIn(ino)).containsExactly(child);

                jvm.destroyForcibly(); // SIGKILL
                assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

                boolean ended = Eye.await(() -> !Eye.processRuns(child), 10);
                assertThat(ended)
                        .as("the test's child %d ended; the JVM %d output: %s", child, jvm.pid(), output)
                        .isTrue();
                assertThat(Eye.processesIn(ino))
                        .as("processes in the test's namespace")
                        .isEmpty();
                assertThat(Eye.await(() -> !Eye.processRuns(watchdog), 10))
                        .as("the watchdog %d ended", watchdog)
                        .isTrue();
                assertThat(bystander.isAlive())
                        .as("a process in the host's namespace")
                        .isTrue();
                assertThat(otherBystander.isAlive())
                        .as("a process in another namespace")
                        .isTrue();
            } finally {
                jvm.destroyForcibly();
                otherBystander.destroy();
                otherBystander.waitFor();
            }
        } finally {
            bystander.destroy();
            bystander.waitFor();
        }
    }

    /** Prints the watchdog's pid once its test's scope has had the namespace watched. */
    @TransientNetns
    public static class ReportsTheWatchdog {
        @Test
        void reports() {
            System.out.println("WATCHDOG " + Watchdog.pid());
        }
    }

    /**
     * jnetns and JNA loaded by a class loader of their own (as build tools and frameworks load tests), so that
     * neither is on {@code java.class.path}, which the watchdog's JVM is started with: it must still start.
     */
    @Test
    void theWatchdogStartsWhereJnetnsHasAClassLoaderOfItsOwn(@TempDir Path dir) throws Exception {
        // jnetns' jar alone, as in a Maven repository: the built one's manifest finds JNA in lib/ beside it
        Path jnetns = locationOf(Watchdog.class);
        Path jar = Files.copy(jnetns, dir.resolve("jnetns.jar"));
        String classpath = System.getProperty("java.class.path").replace(jnetns.toString(), jar.toString());
        List<String> command = new ArrayList<>(dev.jnetns.testing.ChildJvm.command(
                OwnClassLoaderMain.class.getName(), FixtureMain.class.getName(), ReportsTheWatchdog.class.getName()));
        command.set(
                command.indexOf("-cp") + 1, locationOf(OwnClassLoaderMain.class).toString());
        command.add(1, "-DownLoader.classpath=" + classpath);

        Eye.Result result = Eye.run(command.toArray(String[]::new));

        assertThat(result.exit).as("%s", result).isZero();
        assertThat(result.output)
                .contains("TEST reports(): SUCCESSFUL")
                .doesNotContain("watchdog that ends a killed JVM's test processes is not running")
                .containsPattern("WATCHDOG [1-9][0-9]*");
        long watchdog = Long.parseLong(result.output.replaceAll("(?s).*WATCHDOG ([0-9]+).*", "$1"));
        assertThat(Eye.await(() -> !Eye.processRuns(watchdog), 10))
                .as("the watchdog %d ended with its JVM", watchdog)
                .isTrue();
    }

    private static Path locationOf(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @SuppressWarnings("JdkObsolete") // appended by the draining thread, read by the test
    private final StringBuffer output = new StringBuffer();

    /** The fixture's {@code READY child ino watchdog} line, split; the rest of the output is kept, in the background. */
    private String[] awaitReady(Process jvm) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            output.append(line).append('\n');
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> {
                    try {
                        for (String more; (more = out.readLine()) != null; ) {
                            output.append(more).append('\n');
                        }
                    } catch (IOException e) {
                        output.append(e);
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line.split(" ");
            }
        }
        throw new AssertionError("the child JVM ended before its test was ready: " + output);
    }
}
