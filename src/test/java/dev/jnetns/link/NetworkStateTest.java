package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NetworkState's text, held against what ip, tc and ss say about the same namespaces. */
class NetworkStateTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void showsWhatIpTcAndSsShow() throws Exception {
        try (NsFd here = Netns.newTransient();
                NsFd there = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(here);
                Rtnl peerRtnl = Rtnl.open(there)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("va").peer("vb").up(), peerRtnl);
            rtnl.addAddress(pair.local(), "10.9.0.1/24", AddressOption.NO_DAD);
            peerRtnl.addAddress(pair.peer(), "10.9.0.2/24", AddressOption.NO_DAD);
            rtnl.create(LinkSpec.bridge("br0"));
            VethPair local = rtnl.createVeth(LinkSpec.veth("x0").peer("x1"));
            rtnl.setMaster(local.peer(), rtnl.link("br0"));
            rtnl.waitUntilUp(rtnl.link("va"), Duration.ofSeconds(5));
            rtnl.addRoute(Route.to("10.20.0.0/16").via("10.9.0.2"));
            rtnl.addQdisc(rtnl.link("va"), QdiscSpec.tbf(125_000, 1600, Duration.ofMillis(50)));
            List<String> ss = Netns.execute(here, () -> {
                try (ServerSocket server = new ServerSocket(8080, 50, LOOPBACK);
                        Socket client = new Socket(LOOPBACK, 8080);
                        Socket accepted = server.accept();
                        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 5353))) {
                    String text =
                            NetworkState.describe(Map.of("the test's", here)).replaceAll(" +", " ");
                    List<String> seen = ssLines(Ip.run(here, "ss", "-tunaH"));
                    for (String line : seen) {
                        assertThat(text).contains(line);
                    }
                    return seen;
                }
            });
            assertThat(ss).contains("tcp LISTEN 127.0.0.1:8080", "udp UNCONN 127.0.0.1:5353");

            Map<String, NsFd> both = new LinkedHashMap<>();
            both.put("the test's", here);
            both.put("namespace \"peer\"", there);
            String text = NetworkState.describe(both);
            assertThat(text)
                    .startsWith("net:[" + here.ino() + "] the test's\n")
                    .contains("\nnet:[" + there.ino() + "] namespace \"peer\"\n");
            String hereText = text.substring(0, text.indexOf("\nnet:[" + there.ino()));
            for (Map<String, Object> link : Ip.links(here)) {
                String line = lineOf(hereText, (String) link.get("ifname"));
                assertThat(line).contains("mtu " + Ip.num(link.get("mtu")));
                assertThat(line).contains((String) link.get("address"));
                assertThat(line).contains(((List<?>) link.get("flags")).contains("UP") ? " UP " : " DOWN ");
                assertThat(line).contains("operstate " + link.get("operstate"));
                if (link.containsKey("master")) {
                    assertThat(line).contains("master " + link.get("master"));
                }
            }
            assertThat(lineOf(hereText, "va"))
                    .startsWith("va@vb ")
                    .contains("veth")
                    .endsWith("peer in namespace \"peer\" (net:[" + there.ino() + "])");
            assertThat(lineOf(hereText, "x0")).startsWith("x0@x1 ");
            assertThat(lineOf(hereText, "x1")).startsWith("x1@x0 ").contains("master br0");
            String addresses = section(hereText, "addresses");
            for (Map<String, Object> addr : Ip.addrs(here)) {
                for (Object info : (List<?>) addr.get("addr_info")) {
                    Map<?, ?> a = (Map<?, ?>) info;
                    assertThat(lineOf(addresses, (String) addr.get("ifname")))
                            .contains(" " + a.get("local") + "/" + Ip.num(a.get("prefixlen")));
                }
            }
            assertThat(hereText).contains("    10.20.0.0/16 via 10.9.0.2 dev va\n");
            assertThat(hereText).contains("    10.9.0.0/24 dev va scope link\n");
            for (Map<String, Object> q : Ip.qdiscs(here)) {
                assertThat(hereText).contains("    " + q.get("kind") + " " + q.get("handle") + " dev " + q.get("dev"));
            }
            assertThat(hereText).contains(" dev va root rate 125000B/s burst 1600B");
            for (String line : ssLines(Ip.run(here, "ss", "-tunaH"))) { // what the closed sockets left: TIME-WAIT
                assertThat(hereText.replaceAll(" +", " ")).contains(line);
            }
            String thereText = text.substring(text.indexOf("\nnet:[" + there.ino()));
            assertThat(lineOf(thereText, "vb"))
                    .startsWith("vb@va ")
                    .endsWith("peer in the test's (net:[" + here.ino() + "])");
            assertThat(lineOf(section(thereText, "addresses"), "vb")).contains("10.9.0.2/24");
        }
    }

    @Test
    void aPeerOutsideTheNamespacesDescribedIsNamedAsIpNamesIt() {
        try (NsFd here = Netns.newTransient();
                NsFd there = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(here);
                Rtnl peerRtnl = Rtnl.open(there)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("va").peer("vb"), peerRtnl);
            String text = NetworkState.describe(Map.of("alone", here));
            assertThat(lineOf(text, "va"))
                    .startsWith("va@if" + pair.peer().index() + " ")
                    .endsWith("peer in another namespace");
        }
    }

    @Test
    void whatCannotBeReadIsShownNotThrown() {
        NsFd closed = Netns.newTransient();
        closed.close();
        String text = NetworkState.describe(Map.of("closed", closed));
        assertThat(text).startsWith("net:[" + closed.ino() + "] closed\n");
        assertThat(text).contains("  could not read rtnetlink: ").contains("is closed");
        assertThat(text).contains("  could not read sockets: ");
        assertThatThrownBy(() -> NetworkState.describe(null)).hasMessage("namespaces");
    }

    /** ss -tunaH lines as {@code tcp LISTEN 127.0.0.1:8080}, the IPv4-mapped addresses of Java's sockets unwrapped. */
    private static List<String> ssLines(String ss) {
        List<String> out = new ArrayList<>();
        for (String line : ss.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6) {
                out.add(f[0] + " " + f[1] + " " + f[4].replace("[::ffff:", "").replace("]", ""));
            }
        }
        return out;
    }

    /** The lines of section {@code title} of {@code text} (one namespace's). */
    private static String section(String text, String title) {
        int from = text.indexOf("\n  " + title + ":");
        assertThat(from).as("section %s in\n%s", title, text).isNotNegative();
        int to = from + 1;
        do {
            to = text.indexOf('\n', to) + 1;
        } while (to > 0 && text.startsWith("    ", to));
        return text.substring(from + 1, to > 0 ? to : text.length());
    }

    /** The first line of {@code text} that shows link {@code name}. */
    private static String lineOf(String text, String name) {
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith(name + " ") || t.startsWith(name + "@")) {
                return t;
            }
        }
        throw new AssertionError("no line for " + name + " in\n" + text);
    }
}
