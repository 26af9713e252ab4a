package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Route;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's examples, compiled and run as written (readme/ holds them word for word, and a test checks that). */
class ReadmeExampleIT {
    @Test
    void theQuickStartPasses() throws IOException {
        // port 8080 is taken on the host (by us, unless something else has it): the tests still get it, each in
        // its own namespace, in parallel
        ServerSocket host = null;
        try {
            host = new ServerSocket(8080, 50, InetAddress.getLoopbackAddress());
        } catch (java.net.BindException taken) {
            // taken already: just as good
        }
        try {
            Kit.assertStatistics(
                    Kit.runParallel(readme("EchoServerTest")),
                    stats -> stats.started(2).succeeded(2).failed(0));
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }

    @Test
    void theProgrammaticExampleWorks() throws IOException {
        try (NsFd ns = Netns.newTransient()) {
            int port = Netns.execute(ns, () -> {
                try (ServerSocket s = new ServerSocket(0)) {
                    return s.getLocalPort();
                }
            });
            assertThat(port).isPositive();
        }
    }

    @Test
    void theRtnlExampleWorks() {
        long routes;
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("va").peer("vb").peerNetns(b)); // peer placed at creation
            rtnl.addAddress(pair.local(), "10.1.0.1/24");
            rtnl.setUp(pair.local());
            try (Rtnl there = Rtnl.open(b)) {
                there.addAddress(pair.peer(), "fd00::2/64", AddressOption.NO_DAD); // usable at once
                there.setUp(pair.peer());
                there.addRoute(Route.defaultVia("fd00::1"));
                routes = there.routes().stream().filter(Route::isDefault).count();
            }
        } // closing the namespaces is the teardown: the kernel removes the links
        assertThat(routes).isEqualTo(1);
    }

    static class VethExample {
        @Test
        @TransientNetns
        void serverIsReachableOverVeth(
                @TransientNetns("peer") NsFd peer,
                @Veth(peerNetns = "peer", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth)
                throws Exception {
            try (ServerSocket server = new ServerSocket(7000, 50, InetAddress.getByName("10.1.0.1"))) {
                Netns.execute(peer, () -> {
                    try (Socket client = new Socket("10.1.0.1", 7000)) {
                        assertThat(client.isConnected()).isTrue();
                    }
                });
            }
        }
    }

    @Test
    void theVethExamplePasses() {
        Kit.assertStatistics(
                Kit.run(VethExample.class),
                stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void theCompleteVethAndAssertionsExamplePasses() {
        Kit.assertStatistics(
                Kit.run(readme("VethTest")),
                stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void theReadmeShowsTheRunExamplesWordForWord() throws IOException {
        String text = Files.readString(Path.of("README.md"));
        for (String name : List.of("EchoServerTest", "VethTest")) {
            String source =
                    Files.readString(Path.of("extension-tests/src/test/java/dev/jnetns/junit/readme", name + ".java"));
            String example =
                    source.substring(source.indexOf('\n', source.indexOf("word for word below this line")) + 1);
            assertThat(text)
                    .as("README.md shows readme/%s.java as it is run", name)
                    .contains("```java\n" + example + "```");
        }
    }

    /** A README example class, package-private as in the README, so loaded by name. */
    private static Class<?> readme(String name) {
        try {
            return Class.forName("dev.jnetns.junit.readme." + name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
