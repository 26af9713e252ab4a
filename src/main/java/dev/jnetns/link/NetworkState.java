package dev.jnetns.link;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.NsSockets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the network of some namespaces looks like at one moment, as text for people: per namespace its links,
 * addresses, routes (main table), qdiscs and TCP/UDP sockets, in the manner of {@code ip -br link}, {@code ip -br
 * addr}, {@code ip route}, {@code tc qdisc} and {@code ss -tuna} together. jnetns' extension publishes it for a
 * failing test (report entry {@code jnetns.state}); a test or a tool can print it too:
 *
 * <pre>{@code
 * System.out.println(NetworkState.describe(Map.of("client", clientNs, "server", serverNs)));
 * }</pre>
 *
 * <p>A veth whose peer is in another of the namespaces described is shown with the peer's name and namespace. A
 * part that cannot be read is shown with the reason, never thrown: the text explains a failure, it must not add one.
 */
public final class NetworkState {
    private static final String INDENT = "    ";

    private NetworkState() {}

    /**
     * The state of {@code namespaces} now, in the map's order.
     *
     * @param namespaces each namespace under the label that introduces it (such as {@code "the test's namespace"})
     * @return several lines of text, each namespace headed by {@code net:[INODE] label}
     */
    public static String describe(Map<String, NsFd> namespaces) {
        Objects.requireNonNull(namespaces, "namespaces");
        Map<String, Read> read = new LinkedHashMap<>();
        namespaces.forEach((label, ns) -> read.put(label, Read.of(Objects.requireNonNull(ns, label))));
        StringBuilder text = new StringBuilder();
        read.forEach((label, r) -> r.appendTo(text, label, read));
        return text.toString();
    }

    /** One namespace's state, read at once; a part that could not be read is null, with its reason kept. */
    private static final class Read {
        final long ino;
        final List<String> problems = new ArrayList<>();
        List<Link> links;
        List<Address> addresses;
        List<Route> routes;
        List<Qdisc> qdiscs;
        List<String> sockets;

        private Read(long ino) {
            this.ino = ino;
        }

        static Read of(NsFd ns) {
            Read r = new Read(ns.ino());
            try (Rtnl rtnl = Rtnl.open(ns)) {
                r.links = r.attempt("links", rtnl::links);
                r.addresses = r.attempt("addresses", rtnl::addresses);
                r.routes = r.attempt("routes", rtnl::routes);
                r.qdiscs = r.attempt("qdiscs", rtnl::qdiscs);
            } catch (RuntimeException e) {
                r.problems.add("rtnetlink: " + e.getMessage());
            }
            r.sockets = r.attempt("sockets", () -> Netns.execute(ns, NsSockets::describeHere));
            return r;
        }

        private <T> T attempt(String what, Supplier<T> reading) {
            try {
                return reading.get();
            } catch (RuntimeException e) {
                problems.add(what + ": " + e.getMessage());
                return null;
            }
        }

        Map<Integer, String> names() {
            Map<Integer, String> names = new HashMap<>();
            for (Link l : links == null ? List.<Link>of() : links) {
                names.put(l.index(), l.name());
            }
            return names;
        }

        void appendTo(StringBuilder text, String label, Map<String, Read> all) {
            text.append("net:[").append(ino).append("] ").append(label).append('\n');
            Map<Integer, String> names = names();
            section(text, "links", links, l -> link(l, names, label, all));
            if (addresses != null) {
                section(text, "addresses", byLink(names), line -> line);
            }
            section(text, "routes", routes, r -> route(r, names));
            section(text, "qdiscs", qdiscs, q -> qdisc(q, names));
            section(text, "sockets", sockets, line -> line);
            for (String problem : problems) {
                text.append("  could not read ").append(problem).append('\n');
            }
        }

        /** {@code lo  127.0.0.1/8 ::1/128}, one line per link with addresses. */
        private List<String> byLink(Map<Integer, String> names) {
            Map<Integer, StringBuilder> lines = new LinkedHashMap<>();
            for (Address a : addresses) {
                StringBuilder line = lines.computeIfAbsent(
                        a.linkIndex(), i -> new StringBuilder(pad(names.getOrDefault(i, "if" + i), 16)));
                line.append(' ').append(a.prefix());
                if (a.isTentative()) {
                    line.append(" (tentative)");
                }
            }
            List<String> out = new ArrayList<>();
            lines.values().forEach(b -> out.add(b.toString()));
            return out;
        }

        /**
         * {@code va@vb  veth  UP  operstate UP  1e:f8:ae:8e:31:d9  mtu 1500  master br0}; a peer in another of the
         * namespaces described is named with its label.
         */
        private String link(Link l, Map<Integer, String> names, String label, Map<String, Read> all) {
            String name = l.name();
            String peerIn = null;
            if (l.linkIndex() != 0 && l.linkNetnsId() < 0) {
                name += "@" + names.getOrDefault(l.linkIndex(), "if" + l.linkIndex());
            } else if (l.linkIndex() != 0) {
                String[] peer = peerElsewhere(l, label, all);
                name += "@" + (peer == null ? "if" + l.linkIndex() : peer[1]);
                peerIn = peer == null ? "another namespace" : peer[0];
            }
            StringBuilder s = new StringBuilder(pad(name, 16))
                    .append(' ')
                    .append(pad(l.kind() == null ? "-" : l.kind(), 8))
                    .append(l.isUp() ? " UP  " : " DOWN")
                    .append(" operstate ")
                    .append(pad(l.operState().toString(), 14))
                    .append(' ')
                    .append(l.mac() == null ? "-" : l.mac())
                    .append("  mtu ")
                    .append(l.mtu());
            if (l.hasMaster()) {
                s.append("  master ").append(names.getOrDefault(l.masterIndex(), "if" + l.masterIndex()));
            }
            if (l.isPromiscuous()) {
                s.append("  promisc");
            }
            if (peerIn != null) {
                s.append("  peer in ").append(peerIn);
            }
            return s.toString();
        }

        /**
         * The label and name of the link in another described namespace that is tied back to {@code l} (a veth's
         * peer), or null if none is, or more than one could be.
         */
        private String[] peerElsewhere(Link l, String label, Map<String, Read> all) {
            String[] found = null;
            for (Map.Entry<String, Read> other : all.entrySet()) {
                if (other.getKey().equals(label) || other.getValue().links == null) {
                    continue;
                }
                for (Link p : other.getValue().links) {
                    if (p.index() == l.linkIndex()
                            && p.linkIndex() == l.index()
                            && p.linkNetnsId() >= 0
                            && Objects.equals(p.kind(), l.kind())) {
                        if (found != null) {
                            return null;
                        }
                        found = new String[] {other.getKey() + " (net:[" + other.getValue().ino + "])", p.name()};
                    }
                }
            }
            return found;
        }
    }

    /** {@code 10.1.0.0/24 dev va scope link}, {@code default via 10.1.0.2 dev va metric 100}, as ip route. */
    private static String route(Route r, Map<Integer, String> names) {
        StringBuilder s =
                new StringBuilder(r.isDefault() ? "default" : r.destination().toString());
        if (r.isDefault() && r.destination().isIpv6()) {
            s.append(" (::/0)");
        }
        if (r.gateway() != null) {
            s.append(" via ").append(IpPrefix.format(r.gateway()));
        }
        if (r.oifIndex() != 0) {
            s.append(" dev ").append(names.getOrDefault(r.oifIndex(), "if" + r.oifIndex()));
        }
        if (r.scope() == Route.SCOPE_LINK) {
            s.append(" scope link");
        } else if (r.scope() == Route.SCOPE_HOST) {
            s.append(" scope host");
        }
        if (r.priority() != 0) {
            s.append(" metric ").append(r.priority());
        }
        return s.toString();
    }

    /** {@code tbf 8001: root dev va rate 125000B/s burst 1600B limit 3000B}, as tc qdisc with the values in bytes. */
    private static String qdisc(Qdisc q, Map<Integer, String> names) {
        return q.toString()
                .replace(
                        " on link " + q.linkIndex(), " dev " + names.getOrDefault(q.linkIndex(), "if" + q.linkIndex()));
    }

    private static <T> void section(
            StringBuilder text, String title, List<T> items, java.util.function.Function<T, String> line) {
        if (items == null) {
            return; // could not be read: the reason follows
        }
        text.append("  ").append(title).append(items.isEmpty() ? ": none\n" : ":\n");
        for (T each : items) {
            text.append(INDENT).append(line.apply(each)).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
