package dev.jnetns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.ChildJvm;
import dev.jnetns.testing.Eye;
import dev.jnetns.testing.NamedNamespaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM looping {@code newNamed}/{@code deleteNamed} is killed with {@code SIGKILL} at random points, many times.
 * Whatever each kill leaves, the name stays usable: a mounted namespace has {@code lo} up, a placeholder is taken
 * over by the next {@code newNamed}, and {@code deleteNamed} clears both.
 */
class NamedNetnsCrashIT {
    private static final int KILLS = 40;

    /** The child: create and delete one name as fast as it can until killed. */
    public static void main(String[] args) {
        String name = args[0];
        System.out.println("ready");
        System.out.flush();
        while (true) {
            Netns.newNamed(name).close();
            Netns.deleteNamed(name);
        }
    }

    @Test
    @Timeout(300)
    void everyKillLeavesANameThatStillWorks(TestReporter reporter) throws Exception {
        NamedNamespaces.assumeAvailable();
        String name =
                String.format("jnetns-crash-%07x", ThreadLocalRandom.current().nextInt(1 << 28));
        Path path = Path.of(Netns.NAMED_DIR, name);
        Map<String, Integer> seen = new TreeMap<>();
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                Process child = startLooping(name);
                Thread.sleep(ThreadLocalRandom.current().nextInt(50, 400));
                assertThat(child.isAlive())
                        .as("the loop is still running at kill %d", kill)
                        .isTrue();
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

                String left = leftover(path);
                seen.merge(left, 1, Integer::sum);
                switch (left) {
                    case "a namespace" -> {
                        assertThat(loFlags(name))
                                .as("lo of a mounted namespace, kill %d", kill)
                                .contains("UP");
                        Netns.deleteNamed(name);
                    }
                    case "a placeholder" -> {
                        try (NsFd ns = Netns.newNamed(name)) {
                            Eye.Result self = Eye.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net");
                            assertThat(Eye.parseNetLink(self.output)).isEqualTo(ns.ino());
                            assertThat(loFlags(name)).contains("UP");
                        }
                        Netns.deleteNamed(name);
                    }
                    default -> assertThat(left).isEqualTo("nothing");
                }
                assertThat(path).doesNotExist();
                assertThat(mountsOf(path)).isZero();
            }
        } finally {
            if (Files.exists(path)) {
                Netns.deleteNamed(name);
            }
        }
        reporter.publishEntry("after " + KILLS + " kills", seen.toString());
        System.out.println("NamedNetnsCrashIT: after " + KILLS + " kills: " + seen);
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KILLS);
    }

    private static Process startLooping(String name) throws Exception {
        List<String> command = ChildJvm.command(NamedNetnsCrashIT.class.getName(), name);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("the child's first line").isEqualTo("ready");
        // drain the rest so that a failure message cannot fill the pipe and stall the loop
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("child: " + line);
                }
            } catch (java.io.IOException ignored) {
                // the child died
            }
        });
        drain.setDaemon(true);
        drain.start();
        return child;
    }

    /** What a kill left at the name's path, seen through {@code stat}, not through jnetns. */
    private static String leftover(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return "nothing";
        }
        Eye.Result fs = Eye.run("stat", "-f", "-c", "%T", path.toString());
        return fs.output.strip().equals("nsfs") ? "a namespace" : "a placeholder";
    }

    private static List<String> loFlags(String name) {
        Eye.Result link = Eye.run("ip", "-n", name, "-j", "link", "show", "lo");
        assertThat(link.exit).as("%s", link).isZero();
        return Eye.flagsOf(link.output, "lo");
    }

    private static long mountsOf(Path path) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4])
                .filter(path.toString()::equals)
                .count();
    }
}
