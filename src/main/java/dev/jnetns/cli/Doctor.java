package dev.jnetns.cli;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.Privileges;
import dev.jnetns.internal.WorkerPool;
import dev.jnetns.internal.sys.NsFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code java -jar jnetns.jar doctor}: can jnetns work here, and what can this kernel do? Prints a table and
 * returns non-zero when namespaces cannot be created, with the reason.
 */
final class Doctor {
    /** One row: a check, what it found, and whether jnetns cannot work without it. */
    static final class Row {
        final String check;
        final String result;
        final boolean fatal;

        Row(String check, String result, boolean fatal) {
            this.check = check;
            this.result = result;
            this.fatal = fatal;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> limits = new ArrayList<>();
    private final PrintStream out;

    Doctor(PrintStream out) {
        this.out = out;
    }

    /** Runs every check and prints the table; returns the process exit code. */
    static int run(PrintStream out) {
        return new Doctor(out).runAll();
    }

    int runAll() {
        out.println("jnetns doctor");
        row("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")", false);
        row("kernel", read("/proc/sys/kernel/osrelease"), false);
        row("user", uids(), false);
        row(
                "CAP_SYS_ADMIN",
                Privileges.hasCapSysAdmin() ? "yes" : "no (root, `unshare -Ur` or `unshare -Urn` gives it)",
                false);
        row("user namespace", userNamespace(), false);
        row("mode", mode(), false);
        row("this thread's netns", "net:[" + NsFiles.currentIno() + "]", false);
        String ipv6 = jdkIpv6();
        row("JDK IPv6", ipv6, false);
        if (!ipv6.equals("yes")) {
            limits.add("IPv6 sockets fail (JDK IPv6)");
        }
        String problem = Privileges.problem();
        if (problem != null) {
            row("create a namespace", "FAILED: " + problem, true);
            return finish();
        }
        check("namespace round trip", true, this::roundTrip);
        check("rtnetlink", true, KernelProbe::rtnetlink);
        check("link kinds", false, KernelProbe::linkKinds);
        check("qdiscs", false, KernelProbe::qdiscs);
        check("veth TCP echo", true, KernelProbe::tcpEcho);
        return finish();
    }

    private String roundTrip() {
        long home = NsFiles.currentIno();
        long start = System.nanoTime();
        long inside;
        long created;
        try (NsFd ns = Netns.newTransient()) {
            created = ns.ino();
            inside = Netns.execute(ns, NsFiles::currentIno);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long after = NsFiles.currentIno();
        if (inside != created || after != home) {
            throw new IllegalStateException(
                    "worker saw net:[" + inside + "] for net:[" + created + "], caller now in net:[" + after + "]");
        }
        return String.format(
                "ok: created net:[%d], a thread inside saw it, caller stayed in net:[%d] (%.2f ms)", created, home, ms);
    }

    private void check(String name, boolean fatal, Supplier<String> check) {
        try {
            row(name, check.get(), false);
        } catch (RuntimeException e) {
            row(name, "FAILED: " + e.getMessage(), fatal);
        }
    }

    private void row(String check, String result, boolean fatal) {
        rows.add(new Row(check, result, fatal));
        out.printf("  %-22s %s%n", check, result);
    }

    private int finish() {
        boolean broken = rows.stream().anyMatch(r -> r.fatal);
        out.println(
                broken
                        ? "verdict: jnetns cannot work here (see FAILED above)"
                        : limits.isEmpty()
                                ? "verdict: jnetns works here"
                                : "verdict: jnetns works here, with limits: " + String.join("; ", limits));
        return broken ? 1 : 0;
    }

    /** Which of the three ways jnetns can run this is, and what works in it. */
    private String mode() {
        boolean initial = userNamespace().startsWith("initial");
        if (!Privileges.hasCapSysAdmin()) {
            return "unprivileged: no namespaces (root, `unshare -Urn` or `unshare -Ur` gives the privilege)";
        }
        if (WorkerPool.shared().home().oneWay()) {
            limits.add("threads never return home (Netns.enter refused; Netns.execute and the extension work)");
            return "user namespace sharing the host's network (`unshare -Ur`): everything but Netns.enter and"
                    + " enterTransient works; a thread that entered a namespace ends there instead of returning";
        }
        return initial
                ? "root: everything works (named namespaces and tap too)"
                : "user namespace with its own network (`unshare -Urn`): everything works but named namespaces"
                        + " (mounts under /run/netns) and tap (/dev/net/tun)";
    }

    /**
     * The JDK decides once, at start-up, whether IPv6 exists: not when the JVM's first namespace has no IPv6
     * address (lo down, as right after {@code unshare -n}); then IPv6 sockets fail in every namespace.
     */
    @SuppressWarnings("try") // opening the channel is the probe; it is closed unused
    static String jdkIpv6() {
        try (java.nio.channels.DatagramChannel c =
                java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
            return "yes";
        } catch (UnsupportedOperationException | java.io.IOException e) {
            return "no (" + e.getMessage() + "): the JVM started in a namespace without IPv6 addresses (lo down, as"
                    + " right after `unshare -Urn`), so IPv6 sockets fail in every namespace; bring lo up before the"
                    + " JVM starts: `unshare -Urn sh -c 'ip link set lo up && exec java ...'`";
        }
    }

    private static String userNamespace() {
        String map = read("/proc/self/uid_map").trim().replaceAll("\\s+", " ");
        return map.equals("0 0 4294967295")
                ? "initial (uid_map " + map + ")"
                : "own user namespace (uid_map " + map + ")";
    }

    private static String uids() {
        for (String line : read("/proc/self/status").split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                return "uid " + ids[0] + ", effective uid " + ids[1];
            }
        }
        return "?";
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
