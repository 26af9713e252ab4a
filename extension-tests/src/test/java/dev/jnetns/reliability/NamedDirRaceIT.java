package dev.jnetns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.testing.ChildJvm;
import dev.jnetns.testing.Eye;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs make the first named namespace on a machine at the same instant, round after round: {@code /run/netns}
 * must end up one shared mount point, never two stacked self-binds. Each round starts from a machine that has never
 * had one: the whole run is in a mount namespace of its own with a fresh {@code tmpfs} on {@code /run}, so the
 * host's {@code /run/netns} is not touched.
 */
class NamedDirRaceIT {
    private static final int ROUNDS = 40;

    /** One of the two racers: on each round's signal, make and delete a named namespace. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String tag = args[1];
        int rounds = Integer.parseInt(args[2]);
        Files.createFile(dir.resolve("ready-" + tag));
        for (int round = 1; round <= rounds; round++) {
            // the signal names an instant just ahead; both racers spin only for its last stretch (two cores)
            Path go = dir.resolve("go-" + round);
            while (!Files.exists(go)) {
                Thread.sleep(1);
            }
            long startMicros = Long.parseLong(Files.readString(go).strip());
            while (currentMicros() < startMicros) {
                Thread.onSpinWait();
            }
            String name = "race-" + tag + "-" + round;
            Netns.newNamed(name).close();
            // and one name both want: exactly one of the two gets it, the other EEXIST
            String shared = "race-shared-" + round;
            try {
                Netns.newNamed(shared).close();
                Files.createFile(dir.resolve("won-" + round + "-" + tag));
            } catch (dev.jnetns.NetnsException e) {
                if (e.errno() != dev.jnetns.internal.sys.Errno.EEXIST) {
                    throw e;
                }
            }
            Netns.deleteNamed(name);
            Files.createFile(dir.resolve("done-" + round + "-" + tag));
        }
    }

    private static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    @Test
    @Timeout(300)
    void twoJvmsPreparingRunNetnsAtOnceMountItOnce(@TempDir Path dir) throws Exception {
        Eye.Result probe = Eye.run("unshare", "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs t /run");
        Assumptions.assumeTrue(probe.exit == 0, () -> "no private mount namespace with a tmpfs here: " + probe);

        // the racer's command, quoted for the shell; its tag and round count follow
        String racer = ChildJvm.command(NamedDirRaceIT.class.getName(), dir.toString()).stream()
                        .map(w -> "'" + w.replace("'", "'\\''") + "'")
                        .collect(java.util.stream.Collectors.joining(" "))
                + " ";
        String script = String.join(
                "\n",
                "set -eu",
                "mount -t tmpfs jnetns-race /run",
                racer + "A " + ROUNDS + " & a=$!",
                racer + "B " + ROUNDS + " & b=$!",
                "until [ -e " + dir + "/ready-A ] && [ -e " + dir + "/ready-B ]; do sleep 0.01; done",
                // self-binds of our /run/netns (the host's, copied into this mount namespace, lie hidden below)
                "ours() { awk '$5 == \"/run/netns\" && / - tmpfs jnetns-race /' /proc/self/mountinfo | wc -l; }",
                "for r in $(seq 1 " + ROUNDS + "); do",
                // back to a machine that never had a named namespace
                "  while [ $(ours) -gt 0 ]; do umount -l /run/netns; done",
                "  rm -rf /run/netns",
                "  echo $(( $(date +%s%6N) + 50000 )) > " + dir + "/signal && mv " + dir + "/signal " + dir + "/go-$r",
                "  until [ -e " + dir + "/done-$r-A ] && [ -e " + dir + "/done-$r-B ]; do",
                "    kill -0 $a && kill -0 $b || { echo 'a racer died'; exit 1; }",
                "    sleep 0.005",
                "  done",
                "  echo \"round $r: $(ours) $(ls " + dir + " | grep -c \"^won-$r-\")\"",
                "done",
                "wait $a $b");
        Path file = dir.resolve("race.sh");
        Files.writeString(file, script);
        Process run = new ProcessBuilder("unshare", "-m", "--propagation", "private", "bash", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(run.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();

        List<String> rounds =
                new ArrayList<>(out.lines().filter(l -> l.startsWith("round ")).toList());
        assertThat(rounds).as(out).hasSize(ROUNDS);
        // per round: mounts on /run/netns, then how many of the two won the shared name
        assertThat(rounds)
                .as("mounts on /run/netns and winners, after each round")
                .allMatch(l -> l.endsWith(": 1 1"));
    }
}
