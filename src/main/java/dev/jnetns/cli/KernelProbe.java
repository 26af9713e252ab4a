package dev.jnetns.cli;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What this kernel can do, probed in throwaway namespaces (nothing is made in the caller's). */
final class KernelProbe {
    private KernelProbe() {}

    /** An rtnetlink round trip: list the links of a fresh namespace. */
    static String rtnetlink() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            List<Link> links = rtnl.links();
            return "ok: a fresh namespace has " + names(links);
        }
    }

    /** Which link kinds the kernel creates, each tried in a throwaway namespace; "no" with the kernel's reason. */
    static String linkKinds() {
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link parent =
                    rtnl.createVeth(LinkSpec.veth("probe0").peer("probe1")).local();
            probe(yes, no, "veth", () -> rtnl.createVeth(LinkSpec.veth()));
            probe(yes, no, "bridge", () -> rtnl.create(LinkSpec.bridge(null)));
            probe(yes, no, "vxlan", () -> rtnl.create(LinkSpec.vxlan(null, 42).device(parent)));
            probe(yes, no, "macvlan", () -> rtnl.create(LinkSpec.macvlan(null, parent)));
            probe(yes, no, "tap", () -> rtnl.create(LinkSpec.tap(null)));
            probe(yes, no, "dummy", () -> rtnl.create(LinkSpec.dummy(null)));
            probe(yes, no, "vlan", () -> rtnl.create(LinkSpec.vlan(null, parent, 7)));
            probe(
                    yes,
                    no,
                    "ipvlan",
                    () -> rtnl.create(LinkSpec.of("ipvlan", null).parent(parent)));
            probe(yes, no, "wireguard", () -> rtnl.create(LinkSpec.of("wireguard", null)));
            probe(yes, no, "gretap", () -> rtnl.create(LinkSpec.of("gretap", null)));
        }
        return "yes: " + String.join(", ", yes) + (no.isEmpty() ? "" : "; no: " + String.join("; ", no));
    }

    /** Which qdiscs the kernel attaches to a veth. */
    static String qdiscs() {
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("q0").peer("q1"));
            probe(yes, no, "tbf", () -> {
                rtnl.addQdisc(pair.local(), QdiscSpec.tbf(1_000_000, 10_000, Duration.ofMillis(50)));
                rtnl.deleteQdisc(pair.local());
                return null;
            });
            probe(yes, no, "htb", () -> {
                rtnl.addQdisc(pair.local(), QdiscSpec.htb(0x10));
                rtnl.deleteQdisc(pair.local());
                return null;
            });
            probe(yes, no, "netem", () -> {
                rtnl.addQdisc(pair.local(), QdiscSpec.netem().delay(Duration.ofMillis(1)));
                rtnl.deleteQdisc(pair.local());
                return null;
            });
        }
        return "yes: " + String.join(", ", yes) + (no.isEmpty() ? "" : "; no: " + String.join("; ", no));
    }

    /**
     * The whole fixture, live: two namespaces, a veth between them, an address on each end, a TCP echo across,
     * timed; then everything is closed.
     */
    static String tcpEcho() {
        return tcpEcho(7);
    }

    /**
     * As {@link #tcpEcho()}, the client connecting to {@code clientPort} (the echo listens on 7: another port
     * makes the probe fail, for tests). However it ends, the listener is closed, which ends a wait in
     * {@code accept} that interrupting cannot, and the echo thread is waited for (bounded).
     */
    static String tcpEcho(int clientPort) {
        long start = System.nanoTime();
        Thread server = null;
        ServerSocket listener = null;
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a)) {
            VethPair pair = ra.createVeth(LinkSpec.veth("echo-a").peer("echo-b").peerNetns(b));
            ra.addAddress(pair.local(), "10.199.0.1/30");
            ra.setUp(pair.local());
            try (Rtnl rb = Rtnl.open(b)) {
                rb.addAddress(pair.peer(), "10.199.0.2/30");
                rb.setUp(pair.peer());
            }
            long fixture = System.nanoTime();
            ServerSocket bound = Netns.execute(b, () -> new ServerSocket(7, 1, InetAddress.getByName("10.199.0.2")));
            listener = bound;
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            server = new Thread(
                    () -> {
                        try {
                            echoOnce(bound);
                            echoed.complete(null);
                        } catch (RuntimeException e) {
                            echoed.completeExceptionally(e);
                        }
                    },
                    "doctor-echo");
            server.setDaemon(true);
            server.start();
            String reply = Netns.execute(a, () -> {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("10.199.0.2", clientPort), 5000);
                    client.setSoTimeout(5000);
                    client.getOutputStream().write("jnetns\n".getBytes(StandardCharsets.US_ASCII));
                    return new String(client.getInputStream().readNBytes(7), StandardCharsets.US_ASCII);
                }
            });
            echoed.get(5, TimeUnit.SECONDS);
            long done = System.nanoTime();
            if (!reply.equals("jnetns\n")) {
                throw new IllegalStateException("the echo answered \"" + reply.trim() + "\"");
            }
            return String.format(
                    "ok: %s (net:[%d]) 10.199.0.1 -> %s (net:[%d]) 10.199.0.2, echoed;"
                            + " fixture %.2f ms, echo %.2f ms",
                    pair.local().name(),
                    a.ino(),
                    pair.peer().name(),
                    b.ino(),
                    (fixture - start) / 1e6,
                    (done - fixture) / 1e6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e.toString(), e);
        } finally {
            if (listener != null) {
                try {
                    listener.close(); // the echo thread may still wait in accept: this ends the wait
                } catch (IOException ignored) {
                    // closing is all that was wanted
                }
            }
            if (server != null) {
                awaitEnd(server);
            }
        }
    }

    /** Joins the echo thread (bounded): with its listener closed it ends at once. */
    private static void awaitEnd(Thread server) {
        try {
            server.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void echoOnce(ServerSocket listener) {
        try (listener;
                Socket s = listener.accept();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(5000);
            out.write(in.readNBytes(7));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Attempt {
        Object run();
    }

    private static void probe(List<String> yes, List<String> no, String kind, Attempt attempt) {
        try {
            attempt.run();
            yes.add(kind);
        } catch (NetnsException e) {
            String reason = e.errnoName() != null ? e.errnoName() : "";
            String text = e.getMessage();
            int colon = text.lastIndexOf("): ");
            String detail = colon >= 0 ? text.substring(colon + 3) : "";
            no.add(kind + " (" + reason + (detail.isEmpty() ? "" : " " + detail) + ")");
        }
    }

    private static String names(List<Link> links) {
        List<String> names = new ArrayList<>();
        links.forEach(l -> names.add(l.name()));
        return names.toString();
    }
}
