package dev.jnetns.assertj;

import dev.jnetns.link.Address;
import dev.jnetns.link.IpPrefix;
import dev.jnetns.link.Link;
import dev.jnetns.link.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the assertions read and print kernel state: flags, addresses, routes, the calling thread's namespace. */
final class State {
    private static final Pattern NET_LINK = Pattern.compile("net:\\[(\\d+)]");
    private static final Path THREAD_NET = Path.of("/proc/thread-self/ns/net");

    /** {@code IFF_*} bits and names in the order {@code ip link} prints them (it leaves out RUNNING). */
    private static final int[] FLAG_BITS = {
        0x8, 0x2, 0x10, 0x1000, 0x80, 0x200, 0x100, 0x20, 0x4, 0x8000, 0x4000, 0x2000, 0x800, 0x400, 0x1, 0x10000,
        0x20000, 0x40000
    };

    private static final String[] FLAG_NAMES = {
        "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC", "NOTRAILERS", "DEBUG",
        "DYNAMIC", "AUTOMEDIA", "PORTSEL", "SLAVE", "MASTER", "UP", "LOWER_UP", "DORMANT", "ECHO"
    };

    private static final int IFF_RUNNING = 0x40;

    private State() {}

    /**
     * The inode of the calling thread's network namespace, read from the {@code /proc/thread-self/ns/net} link
     * (no descriptor is opened).
     */
    static long threadNetnsIno() {
        try {
            Matcher m = NET_LINK.matcher(Files.readSymbolicLink(THREAD_NET).toString());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** {@code net:[INODE]}. */
    static String netns(long ino) {
        return "net:[" + ino + "]";
    }

    /**
     * The {@code IFF_*} flags by name as {@code ip link} prints them, e.g. {@code BROADCAST,MULTICAST,UP,LOWER_UP}
     * ({@code RUNNING} left out, unknown bits in hex).
     */
    static String flags(int flags) {
        List<String> names = new ArrayList<>();
        int rest = flags & ~IFF_RUNNING;
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                names.add(FLAG_NAMES[i]);
                rest &= ~FLAG_BITS[i];
            }
        }
        if (rest != 0) {
            names.add("0x" + Integer.toHexString(rest));
        }
        return names.isEmpty() ? "none" : String.join(",", names);
    }

    /** {@code flags: BROADCAST,MULTICAST; operstate: DOWN}. */
    static String upState(Link link) {
        return "flags: " + flags(link.flags()) + "; operstate: " + link.operState();
    }

    /** Whether {@code a} has the same address bytes and prefix length as {@code b}. */
    static boolean samePrefix(IpPrefix a, IpPrefix b) {
        return a.prefixLength() == b.prefixLength()
                && Arrays.equals(a.address().getAddress(), b.address().getAddress());
    }

    /** The prefixes of {@code addresses}, e.g. {@code [10.1.0.2/24, fe80::1c2f:aaff:fe5e:1/64]}. */
    static List<String> prefixes(List<Address> addresses) {
        List<String> out = new ArrayList<>();
        for (Address a : addresses) {
            out.add(a.prefix().toString());
        }
        return out;
    }

    /** Index to name. */
    static Map<Integer, String> names(List<Link> links) {
        Map<Integer, String> out = new HashMap<>();
        for (Link l : links) {
            out.put(l.index(), l.name());
        }
        return out;
    }

    /** The addresses with the names of their links, e.g. {@code [127.0.0.1/8 on lo, 10.1.0.1/24 on a0]}. */
    static List<String> addressesOnLinks(List<Address> addresses, Map<Integer, String> names) {
        List<String> out = new ArrayList<>();
        for (Address a : addresses) {
            out.add(a.prefix() + " on " + names.getOrDefault(a.linkIndex(), "index " + a.linkIndex()));
        }
        return out;
    }

    /** A route as {@code ip route} prints it, e.g. {@code default via 10.1.0.2 dev a0}. */
    static String route(Route r, Map<Integer, String> names) {
        StringBuilder s =
                new StringBuilder(r.isDefault() ? "default" : r.destination().toString());
        if (r.isDefault() && r.destination().isIpv6()) {
            s.append(" (::/0)");
        }
        if (r.gateway() != null) {
            s.append(" via ").append(IpPrefix.format(r.gateway()));
        }
        if (r.oifIndex() != 0) {
            s.append(" dev ").append(names.getOrDefault(r.oifIndex(), "index " + r.oifIndex()));
        }
        if (r.scope() == Route.SCOPE_LINK) {
            s.append(" scope link");
        } else if (r.scope() == Route.SCOPE_HOST) {
            s.append(" scope host");
        }
        if (r.isOnLink()) {
            s.append(" onlink");
        }
        if (r.priority() != 0) {
            s.append(" metric ").append(r.priority());
        }
        return s.toString();
    }

    /** Every route, see {@link #route(Route, Map)}. */
    static List<String> routes(List<Route> routes, Map<Integer, String> names) {
        List<String> out = new ArrayList<>();
        for (Route r : routes) {
            out.add(route(r, names));
        }
        return out;
    }
}
