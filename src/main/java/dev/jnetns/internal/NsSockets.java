package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.ProcFiles;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The TCP sockets of one network namespace that can still carry traffic: listening, or connected (a connection
 * whose peer has closed is in {@code CLOSE_WAIT} and does not count). A view is opened from a thread inside the
 * namespace: a {@code /proc/thread-self/net/...} descriptor keeps showing the namespace it was opened in. It
 * holds the namespace's socket counters, read in microseconds: {@code sockstat}, which in the common case proves
 * there is no socket but jnetns' own, and {@code sockstat6} (IPv6 TCP sockets are counted only there), opened by
 * a thread inside only once it finds other sockets ({@link #noteHere}), so that a namespace whose code opens none
 * costs one file. Only when the counters count TCP sockets are the socket tables listed ({@code tcp}, {@code
 * tcp6}), which walks the kernel's whole connection hash (about 4 ms per file here), from a thread sent inside.
 */
public final class NsSockets implements AutoCloseable {
    private static final String COUNTERS = "/proc/thread-self/net/sockstat";
    private static final String COUNTERS6 = "/proc/thread-self/net/sockstat6";
    private static final String[] TABLES = {"/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6"};
    private static final String LISTEN = "0A";
    private static final String ESTABLISHED = "01";
    /** The descriptor of {@code sockstat}, or -1 where it could not be opened. */
    private final int counters;
    /** The descriptor of {@code sockstat6} once opened; -1 before, and where IPv6 is off. */
    private int counters6 = -1;
    /** Whether {@link #noteHere} tried to open {@code sockstat6}. */
    private boolean triedCounters6;

    private boolean closed;

    private NsSockets(int counters) {
        this.counters = counters;
    }

    /** A view of the calling thread's namespace. */
    public static NsSockets openHere() {
        return openHereRecording(fd -> {});
    }

    /** As {@link #openHere()}, telling {@code opened} of its descriptor as soon as it exists. */
    static NsSockets openHereRecording(IntConsumer opened) {
        int fd = ProcFiles.open(COUNTERS);
        if (fd >= 0) {
            opened.accept(fd);
        }
        return new NsSockets(fd);
    }

    /** The descriptors it holds (-1 for a counter that is not open). */
    synchronized int[] descriptors() {
        return new int[] {counters, counters6};
    }

    /**
     * On a thread inside the view's namespace, after code ran there: if {@code sockstat} counts more sockets than
     * jnetns' own ({@code ownSockets}), opens {@code sockstat6} now, so that the test's end can tell IPv6 TCP
     * sockets from others without sending a thread inside. Once per view; a no-op once closed.
     */
    public synchronized void noteHere(int ownSockets) {
        if (triedCounters6 || closed) {
            return;
        }
        String v4 = counters >= 0 ? ProcFiles.readStart(counters, new byte[512]) : null;
        if (v4 != null && count(v4, "sockets: used ") <= ownSockets) {
            return; // none but jnetns' own, as in most tests
        }
        openCounters6();
    }

    /** Opens {@code sockstat6} on the calling thread, inside the view's namespace; -1 where IPv6 is off. */
    private synchronized void openCounters6() {
        triedCounters6 = true;
        counters6 = ProcFiles.open(COUNTERS6); // -1 where IPv6 is off: nothing to count there
    }

    /**
     * Whether the namespace may hold a TCP socket in any state but {@code TIME_WAIT}, knowing that jnetns itself
     * keeps {@code ownSockets} sockets of any kind there (its spare rtnetlink socket). False where the counters
     * prove there is none: no IPv4 TCP socket, and either no more sockets of any family ({@code sockets: used})
     * than jnetns' own, or no IPv6 TCP socket in {@code sockstat6}, if open. True otherwise: in use, or (no
     * {@code sockstat6} open) cannot tell, and {@link #listHereIfAny} tells from inside.
     */
    public boolean mayHoldTcp(int ownSockets) {
        byte[] buf = new byte[512]; // sockstat is about 200 bytes, sockstat6 about 100
        String v4 = counters >= 0 ? ProcFiles.readStart(counters, buf) : null;
        if (v4 == null || inUse(v4) != 0) {
            return true; // in use, or cannot tell
        }
        long used = count(v4, "sockets: used ");
        if (used >= 0 && used <= ownSockets) {
            return false; // no socket but jnetns' own
        }
        int v6fd;
        synchronized (this) {
            if (!triedCounters6) {
                return true; // another socket, maybe an IPv6 TCP one
            }
            v6fd = counters6;
        }
        if (v6fd < 0) {
            return false; // IPv6 is off: the other sockets are not TCP
        }
        String v6 = ProcFiles.readStart(v6fd, buf);
        return v6 == null || inUse(v6) != 0;
    }

    /**
     * The count after {@code inuse} on the {@code TCP:} or {@code TCP6:} line ({@code TCP: inuse 1 orphan 0 tw 0
     * alloc 1 mem 6}), or -1 if there is none.
     */
    static long inUse(String counters) {
        long v4 = count(counters, "TCP: inuse ");
        return v4 >= 0 ? v4 : count(counters, "TCP6: inuse ");
    }

    /** The number after {@code prefix} at the start of a line of {@code counters}, or -1 if there is none. */
    static long count(String counters, String prefix) {
        int at = counters.startsWith(prefix) ? 0 : counters.indexOf("\n" + prefix);
        if (at < 0) {
            return -1;
        }
        int from = counters.indexOf(prefix, at) + prefix.length();
        int to = from;
        while (to < counters.length() && Character.isDigit(counters.charAt(to))) {
            to++;
        }
        return to > from ? Long.parseLong(counters.substring(from, to)) : -1;
    }

    /**
     * As {@link #listHere}, but lists only when the namespace's counters, {@code sockstat} and {@code sockstat6},
     * count TCP sockets (in any state but {@code TIME_WAIT}).
     */
    public static List<String> listHereIfAny() {
        try (NsSockets view = openHere()) {
            view.openCounters6();
            return view.mayHoldTcp(-1) ? listHere() : List.of(); // no socket is jnetns' own: read both counters
        }
    }

    /**
     * The sockets of the calling thread's namespace that can still carry traffic, e.g. {@code listening on
     * 127.0.0.1:8080} or {@code connected 10.1.0.2:4711 -> 10.1.0.1:80}.
     */
    public static List<String> listHere() {
        List<String> found = new ArrayList<>();
        for (String path : TABLES) {
            String text = readTable(path);
            if (text != null) {
                parse(text, found);
            }
        }
        return found;
    }

    /** Every socket table {@link #describeHere} reads, and the protocol it names. */
    private static final String[][] ALL_TABLES = {
        {"tcp", "/proc/thread-self/net/tcp"},
        {"tcp", "/proc/thread-self/net/tcp6"},
        {"udp", "/proc/thread-self/net/udp"},
        {"udp", "/proc/thread-self/net/udp6"}
    };

    /** TCP states by the number {@code /proc/net/tcp} gives, named as {@code ss} names them. */
    private static final String[] TCP_STATES = {
        "?",
        "ESTAB",
        "SYN-SENT",
        "SYN-RECV",
        "FIN-WAIT-1",
        "FIN-WAIT-2",
        "TIME-WAIT",
        "UNCONN",
        "CLOSE-WAIT",
        "LAST-ACK",
        "LISTEN",
        "CLOSING",
        "NEW-SYN-RECV"
    };

    /**
     * Every TCP and UDP socket of the calling thread's namespace, IPv4 and IPv6, one per line as {@code ss -tuna}
     * shows them: {@code tcp   LISTEN      127.0.0.1:8080  0.0.0.0:*}, {@code udp   UNCONN      0.0.0.0:5353
     * 0.0.0.0:*}. A table that cannot be read (IPv6 off) is left out.
     */
    public static List<String> describeHere() {
        List<String> lines = new ArrayList<>();
        for (String[] table : ALL_TABLES) {
            String text = readTable(table[1]);
            for (String line : text == null ? new String[0] : text.split("\n", -1)) {
                String[] f = line.trim().split("\\s+", -1);
                if (f.length < 4 || !f[0].endsWith(":")) {
                    continue;
                }
                int state = Integer.parseInt(f[3], 16);
                String remote = address(f[2]);
                lines.add(String.format(
                        "%-5s %-11s %-23s %s",
                        table[0],
                        state < TCP_STATES.length ? TCP_STATES[state] : f[3],
                        address(f[1]),
                        remote.endsWith(":0") ? remote.substring(0, remote.length() - 1) + "*" : remote));
            }
        }
        return lines;
    }

    /** The whole socket table at {@code path}, or null where there is none (IPv6 off). */
    private static String readTable(String path) {
        int fd = ProcFiles.open(path);
        if (fd < 0) {
            return null;
        }
        try {
            return ProcFiles.readAll(fd);
        } finally {
            NsFiles.close(fd);
        }
    }

    private static void parse(String table, List<String> found) {
        for (String line : table.split("\n", -1)) {
            String[] f = line.trim().split("\\s+", -1);
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue; // the header, or the empty last line
            }
            if (f[3].equals(LISTEN)) {
                found.add("listening on " + address(f[1]));
            } else if (f[3].equals(ESTABLISHED)) {
                found.add("connected " + address(f[1]) + " -> " + address(f[2]));
            }
        }
    }

    /** {@code 0100007F:1F90} as {@code 127.0.0.1:8080}; IPv6 as {@code [::1]:8080} (the kernel's words, host order). */
    static String address(String hex) {
        int colon = hex.indexOf(':');
        String ip = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        byte[] bytes = new byte[ip.length() / 2];
        // the kernel prints each 32-bit word as a number in the machine's byte order
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (little ? 3 - b : b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
            }
        }
        try {
            InetAddress address = InetAddress.getByAddress(bytes); // an IPv4-mapped one comes back as IPv4
            String text = address.getHostAddress();
            return (address instanceof Inet6Address ? "[" + text + "]" : text) + ":" + port;
        } catch (UnknownHostException e) {
            return hex;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (counters >= 0) {
            NsFiles.close(counters);
        }
        if (counters6 >= 0) {
            NsFiles.close(counters6);
        }
    }
}
