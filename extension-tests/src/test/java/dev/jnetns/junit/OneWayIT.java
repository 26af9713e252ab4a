package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JVM under {@code unshare -Ur}: its own user namespace, the host's network. A thread can enter a new
 * namespace but never come back (setns home fails with EPERM), so jnetns runs one-way: each test's thread ends
 * after it. The fixtures run in such a JVM and print what they saw; the JVM itself keeps the host's network.
 */
class OneWayIT {
    /** What a fixture prints: {@code SAW key value}. */
    static void saw(String key, Object value) {
        System.out.println("SAW " + key + " " + value);
    }

    @TransientNetns
    public static class Tests {
        @Test
        void runsInside(NsFd self) throws IOException {
            saw("inside", Eye.threadIno());
            saw("self", self.ino());
            try (ServerSocket server = new ServerSocket(8080, 1, InetAddress.getLoopbackAddress());
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), 8080)) {
                saw("connected", client.isConnected());
            }
        }

        @Test
        void executesInAFurtherNamespaceAndComesBackToItsOwn(NsFd self, @TransientNetns("peer") NsFd peer) {
            long seen = Netns.execute(peer, Eye::threadIno);
            saw("peerSeen", seen == peer.ino());
            saw("stillInside", Eye.threadIno() == self.ino());
        }

        @Test
        void getsAVethPair(@Veth Link veth) {
            saw("veth", veth.index() > 0);
        }

        @Test
        void enterIsRefusedBeforeMoving() {
            long before = Eye.threadIno();
            try (NsFd other = Netns.newTransient()) {
                Netns.enter(other).close();
                saw("enter", "allowed");
            } catch (IllegalStateException e) {
                saw("enter", e.getMessage().replace('\n', ' '));
            }
            saw("enterStayed", Eye.threadIno() == before);
        }
    }

    @TransientNetns(scope = TransientNetns.Scope.CLASS)
    public static class ClassWide {
        @BeforeAll
        static void before() {
            saw("beforeAll", Eye.threadIno());
        }

        @Test
        void one() {
            saw("one", Eye.threadIno());
        }

        @Test
        void two() {
            saw("two", Eye.threadIno());
        }

        @AfterAll
        static void after() {
            saw("afterAll", Eye.threadIno());
        }
    }

    /** Runs {@code fixture} in a child JVM under {@code unshare -Ur}; what it printed. */
    private static List<String> runOneWay(Class<?> fixture) {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/unshare")))
                .as("needs unshare")
                .isTrue();
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "-Ur"));
        command.addAll(Kit.childJvm(fixture));
        Eye.Result result = Eye.run(command.toArray(String[]::new));
        assertThat(result.exit).as(result.output).isZero();
        return result.output.lines().toList();
    }

    private static String value(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith("SAW " + key + " "))
                .map(l -> l.substring(("SAW " + key + " ").length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in " + lines));
    }

    @Test
    void testsRunInsideTheirNamespacesAndTheJvmKeepsTheHostsNetwork() {
        long host = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
        List<String> out = runOneWay(Tests.class);
        assertThat(out).filteredOn(l -> l.startsWith("TEST ")).hasSize(4).allMatch(l -> l.endsWith(": SUCCESSFUL"));
        long inside = Long.parseLong(value(out, "inside"));
        assertThat(inside).isNotEqualTo(host).isEqualTo(Long.parseLong(value(out, "self")));
        assertThat(value(out, "connected")).isEqualTo("true");
        assertThat(value(out, "peerSeen")).isEqualTo("true");
        assertThat(value(out, "stillInside")).isEqualTo("true");
        assertThat(value(out, "veth")).isEqualTo("true");
        assertThat(value(out, "enter"))
                .contains("Netns.enter() moves the calling thread", "unshare -Ur", "EPERM", "Netns.execute(ns, fn)");
        assertThat(value(out, "enterStayed")).isEqualTo("true");
    }

    @Test
    void aClassWideNamespaceServesBeforeAllTheTestsAndAfterAll() {
        long host = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
        List<String> out = runOneWay(ClassWide.class);
        assertThat(out).filteredOn(l -> l.startsWith("TEST ")).hasSize(2).allMatch(l -> l.endsWith(": SUCCESSFUL"));
        Set<String> seen = new HashSet<>();
        for (String key : List.of("beforeAll", "one", "two", "afterAll")) {
            seen.add(value(out, key));
        }
        assertThat(seen).hasSize(1).doesNotContain(Long.toString(host));
    }

    /** Prints, from inside the one-way JVM, its own namespace and how doctor sees the mode. */
    public static final class JvmsOwnNetwork {
        public static void main(String[] args) throws Exception {
            saw("jvm", Eye.inoOfLink(Path.of("/proc/self/ns/net")));
            try (NsFd ns = Netns.newTransient()) {
                saw("executed", Netns.execute(ns, Eye::threadIno) == ns.ino());
            }
            // every thread of this JVM is back in (or never left) the host's namespace, or ends soon: a thread
            // that stays inside ends after its Java code (joined), and at SCHED_IDLE on a loaded machine the
            // kernel task can take seconds more to go
            long home = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
            long deadline = System.nanoTime() + 20_000_000_000L;
            List<String> elsewhere = Eye.threadsOutside(home);
            while (!elsewhere.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                elsewhere = Eye.threadsOutside(home);
            }
            saw("threadsElsewhere", elsewhere);
            System.exit(0);
        }
    }

    @Test
    void threadsThatEnteredANamespaceEndAndTheJvmStaysInTheHostsNetwork() {
        long host = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "-Ur"));
        List<String> java = Kit.childJvm(Tests.class);
        command.addAll(java.subList(0, java.indexOf(FixtureMain.class.getName())));
        command.add(JvmsOwnNetwork.class.getName());
        Eye.Result result = Eye.run(command.toArray(String[]::new));
        assertThat(result.exit).as(result.output).isZero();
        List<String> out = result.output.lines().toList();
        assertThat(Long.parseLong(value(out, "jvm"))).isEqualTo(host);
        assertThat(value(out, "executed")).isEqualTo("true");
        assertThat(value(out, "threadsElsewhere")).isEqualTo("[]");
    }
}
