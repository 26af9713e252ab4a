package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @Veth}: pairs between a test's namespaces, checked with {@code ip -j} run inside them. */
class VethIT {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** {@code ip -j ...} run inside {@code ns}: a child process of a thread in it inherits its namespace. */
    static String ipIn(NsFd ns, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "ip";
        command[1] = "-j";
        System.arraycopy(args, 0, command, 2, args.length);
        return Netns.execute(ns, () -> Eye.run(command).output);
    }

    /** The JSON object of link {@code name} in {@code ip -j link} output (links carry no nested objects). */
    static String linkJson(String json, String name) {
        Matcher m = Pattern.compile("\\{[^{}]*\"ifname\":\"" + Pattern.quote(name) + "\"[^{}]*}")
                .matcher(json);
        if (!m.find()) {
            throw new AssertionError("no link " + name + " in " + json);
        }
        return m.group();
    }

    static int intField(String object, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(object);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in " + object);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Interface names in {@code ip -j link} output. */
    static List<String> ifnames(String json) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"ifname\":\"([^\"]+)\"").matcher(json);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Where the calling thread's namespace would route {@code address} ({@code ip -j route get}: the kernel is
     * asked, nothing is sent): {@code dev D gateway G prefsrc S}, or what ip said when there is no route.
     */
    static String routeTo(String address) {
        String out = Eye.run("ip", "-j", "route", "get", address).output.strip();
        if (!out.startsWith("[")) {
            assertThat(out).as("ip route get %s", address).containsAnyOf("unreachable", "No route to host");
            return "no route: " + out;
        }
        return "dev " + stringField(out, "dev") + " gateway " + stringField(out, "gateway") + " prefsrc "
                + stringField(out, "prefsrc");
    }

    private static String stringField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void tcpAndUdpCrossAPairBetweenTwoNamespacesAndTheHostReachesNeither() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        SEEN.clear();
        String hostLinksBefore = Eye.run("ip", "-j", "link", "show").output;
        Map<String, String> hostRoutesBefore = Map.of("10.1.0.1", routeTo("10.1.0.1"), "10.1.0.2", routeTo("10.1.0.2"));
        EngineExecutionResults results = Kit.run(TwoNamespacesEcho.class);
        Kit.assertAllSucceeded(results, 1);
        VethPair veth = (VethPair) Kit.get(SEEN, "veth");
        NsFd self = (NsFd) Kit.get(SEEN, "self");
        NsFd peer = (NsFd) Kit.get(SEEN, "peer");

        String local =
                linkJson((String) Kit.get(SEEN, "selfLinks"), veth.local().name());
        String remote =
                linkJson((String) Kit.get(SEEN, "peerLinks"), veth.peer().name());
        assertThat(intField(local, "ifindex")).isEqualTo(veth.local().index());
        assertThat(intField(remote, "ifindex")).isEqualTo(veth.peer().index());
        assertThat(local).contains("\"UP\"").contains("\"link_type\":\"ether\"");
        assertThat(remote).contains("\"UP\"");
        assertThat((String) Kit.get(SEEN, "selfLinks"))
                .doesNotContain("\"ifname\":\"" + veth.peer().name() + "\"");
        assertThat((String) Kit.get(SEEN, "selfAddrs")).contains("\"local\":\"10.1.0.1\",\"prefixlen\":24");
        assertThat((String) Kit.get(SEEN, "peerAddrs")).contains("\"local\":\"10.1.0.2\",\"prefixlen\":24");
        assertThat(veth.local().netnsIno()).isEqualTo(self.ino());
        assertThat(veth.peer().netnsIno()).isEqualTo(peer.ino());

        assertThat(Kit.get(SEEN, "tcp")).isEqualTo("pong");
        assertThat(Kit.get(SEEN, "udp")).isEqualTo("hello");
        // the host's namespace cannot reach either end, judged against its own state before the test (asked of
        // the kernel; nothing is sent): it does not own the addresses, it had only the links it had before, and
        // it routed each address as before the pair existed, out of one of those links or nowhere
        assertThat(SEEN.get("hostError")).as("the host-side thread's failure").isNull();
        assertThat((String) Kit.get(SEEN, "hostLinks"))
                .as("the host's links while the pair existed")
                .isEqualTo(String.join(",", ifnames(hostLinksBefore)));
        for (String address : new String[] {"10.1.0.1", "10.1.0.2"}) {
            assertThat((String) Kit.get(SEEN, "hostBind " + address)).contains("Cannot assign requested address");
            String route = (String) Kit.get(SEEN, "hostRoute " + address);
            assertThat(route)
                    .as("the host's route to %s while the pair existed", address)
                    .isEqualTo(hostRoutesBefore.get(address));
            if (route.startsWith("dev ")) {
                assertThat(route.split(" ")[1]).as("the device of %s", route).isIn(ifnames(hostLinksBefore));
            }
        }
        // nothing was made in the host's namespace, and the test's namespaces are closed
        assertThat(Eye.run("ip", "-j", "link", "show").output).isEqualTo(hostLinksBefore);
        assertThat(self.isOpen()).isFalse();
        assertThat(peer.isOpen()).isFalse();
        assertThat(Eye.fdsPointingTo(self.ino()) + Eye.fdsPointingTo(peer.ino()))
                .isZero();
    }

    /**
     * The cause of the JDK 25 flake of the test above (issue #10), forced. The JDK reaps child processes on a
     * cached pool of {@code process reaper} threads; when none is idle at that moment, starting a process starts a
     * new one from the starting thread, in that thread's namespace, where it idles for 60 s. Under load the
     * reaper of the previous {@code ip} had not gone back to wait when {@code ipIn(peer, ...)} started the next
     * one, and the leftovers check of the time failed the test on that reaper in "peer". Here every reaper is kept
     * busy first, so the {@code ip} run in the peer always gets a new one there: it must not fail the test.
     */
    @Test
    void aProcessReaperBornInsideAPeerIsNotALeak() throws Exception {
        SEEN.clear();
        List<Process> holders = keepEveryProcessReaperBusy();
        try {
            Kit.assertAllSucceeded(Kit.run(ReaperInAPeer.class), 1);
        } finally {
            for (Process holder : holders) {
                holder.destroy();
                holder.waitFor();
            }
        }
        VethPair veth = (VethPair) Kit.get(SEEN, "veth");
        assertThat(ifnames((String) Kit.get(SEEN, "peerLinks")))
                .contains(veth.peer().name());
        @SuppressWarnings("unchecked")
        List<String> inPeer = (List<String>) Kit.get(SEEN, "threadsInPeer");
        assertThat(inPeer)
                .as("threads in the peer's namespace after ip ran there")
                .anyMatch(t -> t.contains(" process reaper "));
    }

    @TransientNetns
    static class ReaperInAPeer {
        @Test
        void runsIpInThePeer(@TransientNetns("peer") NsFd peer, @Veth(peerNetns = "peer") VethPair veth) {
            SEEN.put("veth", veth);
            SEEN.put("peerLinks", ipIn(peer, "link", "show"));
            SEEN.put("threadsInPeer", Eye.threadsIn(peer.ino()));
        }
    }

    /**
     * Starts {@code sleep} processes from this thread until every {@code process reaper} thread of the JVM waits
     * for one of them, so that the next process started anywhere gets a new reaper. The caller ends them.
     */
    private static List<Process> keepEveryProcessReaperBusy() throws IOException {
        // jnetns' first native call has JNA run `ldconfig -p`, whose reaper would then be idle: make it first
        try (NsFd home = NsFd.ofPid(ProcessHandle.current().pid())) {
            assertThat(home.ino()).isEqualTo(Eye.threadIno());
        }
        List<Process> holders = new ArrayList<>();
        while (true) {
            // a reaper between jobs may be about to wait for the next: let each settle, busy or idle
            assertThat(Eye.eventually(() -> reapers().allMatch(r -> reaping(r) || idle(r))))
                    .as("process reapers settle")
                    .isTrue();
            if (reapers().noneMatch(VethIT::idle)) {
                return holders;
            }
            assertThat(holders)
                    .as("sleep processes started to keep the reapers busy")
                    .hasSizeLessThan(64);
            holders.add(new ProcessBuilder("sleep", "60").start());
        }
    }

    /** The stacks of the JDK's reaper threads (named "process reaper (pid N)" while they wait for one). */
    private static Stream<StackTraceElement[]> reapers() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("process reaper"))
                .map(Map.Entry::getValue);
    }

    private static boolean reaping(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().startsWith("waitForProcessExit"));
    }

    private static boolean idle(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("getTask"));
    }

    /** As {@link TwoNamespaces}, with a server thread that answers, and an attempt from the host. */
    @TransientNetns
    static class TwoNamespacesEcho {
        @Test
        void talk(
                NsFd self,
                @TransientNetns("peer") NsFd peer,
                @Veth(peerNetns = "peer", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth)
                throws Exception {
            SEEN.put("self", self);
            SEEN.put("peer", peer);
            SEEN.put("veth", veth);
            SEEN.put("selfLinks", ipIn(self, "link", "show"));
            SEEN.put("peerLinks", ipIn(peer, "link", "show"));
            SEEN.put("selfAddrs", ipIn(self, "addr", "show"));
            SEEN.put("peerAddrs", ipIn(peer, "addr", "show"));
            try (ServerSocket server = new ServerSocket(7000, 50, InetAddress.getByName("10.1.0.1"))) {
                Thread answer = new Thread(
                        () -> {
                            try (Socket s = server.accept();
                                    InputStream in = s.getInputStream();
                                    OutputStream out = s.getOutputStream()) {
                                in.readNBytes(5);
                                out.write("pong".getBytes(StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                SEEN.put("serverError", e.toString());
                            }
                        },
                        "echo-server");
                answer.start(); // inherits this namespace
                String reply = Netns.execute(peer, () -> {
                    try (Socket client = new Socket()) {
                        client.connect(new InetSocketAddress("10.1.0.1", 7000), 5000);
                        client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                        return new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8);
                    }
                });
                answer.join();
                SEEN.put("tcp", reply);
                // what the host's namespace knows of either end
                hostAttempt();
            }
            try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress("10.1.0.1", 7001))) {
                receiver.setSoTimeout(5000);
                Netns.execute(peer, () -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
                        sender.send(new DatagramPacket(data, data.length, InetAddress.getByName("10.1.0.1"), 7001));
                    }
                });
                DatagramPacket packet = new DatagramPacket(new byte[16], 16);
                receiver.receive(packet);
                SEEN.put("udp", new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
        }

        /**
         * What the host's namespace knows of 10.1.0.1 and 10.1.0.2, asked from a thread moved home. Nothing is
         * sent: on a machine with a default route, a packet from the host to them would leave the machine.
         * Instead the kernel is asked where it would route them, and whether the host owns them (bind); and the
         * host's links are listed.
         */
        private static void hostAttempt() throws Exception {
            try (NsFd home = NsFd.ofPid(ProcessHandle.current().pid())) {
                Thread mover = new Thread(
                        () -> {
                            try (var entered = Netns.enter(home)) {
                                for (String address : new String[] {"10.1.0.1", "10.1.0.2"}) {
                                    SEEN.put("hostRoute " + address, routeTo(address));
                                    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
                                        SEEN.put("hostBind " + address, "bound");
                                    } catch (IOException e) {
                                        SEEN.put("hostBind " + address, e.toString());
                                    }
                                }
                                SEEN.put(
                                        "hostLinks",
                                        String.join(",", ifnames(Eye.run("ip", "-j", "link", "show").output)));
                            } catch (Throwable e) {
                                SEEN.put("hostError", e.toString());
                            }
                        },
                        "host-side");
                mover.start();
                mover.join();
            }
        }
    }

    @TransientNetns
    static class Settings {
        @Test
        void namesMtuSeveralPairsAndALinkParameter(
                NsFd self,
                @Veth(name = "va0", peerName = "vb0", mtu = 1400) VethPair first,
                @Veth(name = "va1", peerName = "vb1", up = false) VethPair second,
                @Veth(address = "fd00::1/64", peerAddress = "fd00::2/64") Link alone)
                throws Exception {
            SEEN.put("links", Eye.run("ip", "-j", "link", "show").output);
            SEEN.put("addrs", Eye.run("ip", "-j", "addr", "show").output);
            SEEN.put("first", first);
            SEEN.put("second", second);
            SEEN.put("alone", alone);
            // IPv6 without DAD: usable at once, over the pair within this namespace
            try (ServerSocket server = new ServerSocket(7002, 50, InetAddress.getByName("fd00::1"));
                    Socket client = new Socket(InetAddress.getByName("fd00::1"), 7002)) {
                SEEN.put("v6", client.isConnected());
            }
        }
    }

    @Test
    void namesMtuUpAndSeveralPairsAgreeWithIp() {
        SEEN.clear();
        Kit.assertStatistics(
                Kit.run(Settings.class), stats -> stats.succeeded(1).failed(0));
        String links = (String) Kit.get(SEEN, "links");
        assertThat(intField(linkJson(links, "va0"), "mtu")).isEqualTo(1400);
        assertThat(intField(linkJson(links, "vb0"), "mtu")).isEqualTo(1400);
        assertThat(linkJson(links, "va0")).contains("\"UP\"");
        assertThat(linkJson(links, "va1")).doesNotContain("\"UP\"").contains("\"operstate\":\"DOWN\"");
        assertThat(linkJson(links, "vb1")).doesNotContain("\"UP\"");
        Link alone = (Link) Kit.get(SEEN, "alone");
        assertThat(linkJson(links, alone.name())).contains("\"UP\"");
        assertThat(intField(linkJson(links, alone.name()), "ifindex")).isEqualTo(alone.index());
        assertThat((String) Kit.get(SEEN, "addrs"))
                .contains("\"local\":\"fd00::1\",\"prefixlen\":64")
                .contains("\"local\":\"fd00::2\",\"prefixlen\":64");
        assertThat(Kit.get(SEEN, "v6")).isEqualTo(true);
        assertThat(((VethPair) Kit.get(SEEN, "first")).local().mtu()).isEqualTo(1400);
        assertThat(((VethPair) Kit.get(SEEN, "second")).peer().isUp()).isFalse();
    }

    @TransientNetns
    static class FixedNamesInParallel {
        @RepeatedTest(20)
        void test(
                @TransientNetns("b") NsFd b,
                @Veth(
                                name = "va",
                                peerName = "vb",
                                peerNetns = "b",
                                address = "10.9.0.1/30",
                                peerAddress = "10.9.0.2/30")
                        VethPair veth) {
            if (!veth.local().name().equals("va") || !veth.peer().name().equals("vb")) {
                throw new AssertionError(veth.toString());
            }
        }
    }

    @Test
    void theSameNamesInParallelTestsNeverCollide() {
        String hostLinksBefore = Eye.run("ip", "-j", "link", "show").output;
        Kit.assertStatistics(
                Kit.runParallel(FixedNamesInParallel.class),
                stats -> stats.started(20).succeeded(20).failed(0));
        assertThat(Eye.run("ip", "-j", "link", "show").output).isEqualTo(hostLinksBefore);
    }

    static class NotInANamespace {
        @Test
        void test(@Veth VethPair veth) {
            SEEN.put("ran", true);
        }
    }

    @TransientNetns
    static class BadInput {
        @Test
        void longName(@Veth(name = "a-name-of-16byte") VethPair veth) {
            SEEN.put("ran", true);
        }

        @Test
        void badAddress(@Veth(address = "10.1.0.300/24") VethPair veth) {
            SEEN.put("ran", true);
        }

        @Test
        void duplicate(@Veth(name = "dup0") VethPair one, @Veth(name = "dup0") VethPair two) {
            SEEN.put("ran", true);
        }

        @Test
        void wrongType(@Veth String veth) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aVethOutsideANamespaceIsRefused() {
        SEEN.clear();
        String hostLinksBefore = Eye.run("ip", "-j", "link", "show").output;
        EngineExecutionResults results = Kit.run(NotInANamespace.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("test"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m ->
                                                m.contains("annotate the test method or class with @TransientNetns")
                                                        && m.contains("host's")))));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(Eye.run("ip", "-j", "link", "show").output).isEqualTo(hostLinksBefore);
    }

    @Test
    void badInputIsAClearErrorAndMakesNothing() {
        SEEN.clear();
        String hostLinksBefore = Eye.run("ip", "-j", "link", "show").output;
        EngineExecutionResults results = Kit.run(BadInput.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("longName"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("a-name-of-16byte") && m.contains("15")))))
                .haveExactly(
                        1,
                        event(
                                test("badAddress"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("10.1.0.300/24")))))
                .haveExactly(
                        1,
                        event(
                                test("duplicate"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("EEXIST") && m.contains("dup0")))))
                .haveExactly(
                        1,
                        event(
                                test("wrongType"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains(
                                                "must be a dev.jnetns.link.VethPair or a dev.jnetns.link.Link")))));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(Eye.run("ip", "-j", "link", "show").output).isEqualTo(hostLinksBefore);
    }

    @TransientNetns
    static class PeerLo {
        @Test
        void vethFirst(
                @Veth(peerNetns = "peer") VethPair veth,
                @TransientNetns(value = "peer", lo = Netns.Lo.DOWN) NsFd peer) {
            SEEN.put("vethFirst", ipIn(peer, "link", "show"));
            SEEN.put("vethFirstPeerHere", veth.peer().netnsIno() == peer.ino());
        }

        @Test
        void nsFdFirst(
                @TransientNetns(value = "peer", lo = Netns.Lo.DOWN) NsFd peer,
                @Veth(peerNetns = "peer") VethPair veth) {
            SEEN.put("nsFdFirst", ipIn(peer, "link", "show"));
        }

        @Test
        void byDefault(@Veth(peerNetns = "peer") VethPair veth, @TransientNetns("peer") NsFd peer) {
            SEEN.put("byDefault", ipIn(peer, "link", "show"));
        }

        @Test
        void disagreeing(
                @Veth(peerNetns = "p") VethPair veth,
                @TransientNetns(value = "p", lo = Netns.Lo.DOWN) NsFd down,
                @TransientNetns("p") NsFd up) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void thePeersNamespaceHasTheLoItsNsFdParameterAsksForWhateverTheOrder() {
        SEEN.clear();
        String hostLinksBefore = Eye.run("ip", "-j", "link", "show").output;
        EngineExecutionResults results = Kit.run(PeerLo.class);
        Kit.assertStatistics(results, stats -> stats.succeeded(3).failed(1));
        for (String test : new String[] {"vethFirst", "nsFdFirst"}) {
            String lo = linkJson((String) Kit.get(SEEN, test), "lo");
            assertThat(lo).as(test).contains("\"operstate\":\"DOWN\"").doesNotContain("\"UP\"");
        }
        assertThat(Kit.get(SEEN, "vethFirstPeerHere")).isEqualTo(true);
        assertThat(linkJson((String) Kit.get(SEEN, "byDefault"), "lo")).contains("\"UP\"");
        // two parameters that disagree on one namespace's lo: an error naming both, and nothing runs
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("disagreeing"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("'down'")
                                                && m.contains("'up'")
                                                && m.contains("lo = DOWN")
                                                && m.contains("lo = UP")
                                                && m.contains("\"p\"")))));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(Eye.run("ip", "-j", "link", "show").output).isEqualTo(hostLinksBefore);
    }
}
