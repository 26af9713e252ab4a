package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of bad input gives a clear exception, and nothing half-made is left behind (checked with ip). */
@ExtendWith(NoFdLeaks.class)
class BadInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"sixteen-bytes-xx", "", "a/b", "a b", "a:b", "tab\tname", ".", "..", "näme-is-16-byte"})
    void invalidNamesAreRejectedBeforeAnySyscall(String name) {
        assertThatThrownBy(() -> LinkSpec.veth(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interface name");
        assertThatThrownBy(() -> LinkSpec.veth("ok0").peer(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.bridge(name)).isInstanceOf(IllegalArgumentException.class);
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link lo = rtnl.link("lo");
            assertThatThrownBy(() -> rtnl.rename(lo, name)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rtnl.link(name)).isInstanceOf(IllegalArgumentException.class);
            assertThat(Ip.linkNames(ns)).containsExactly("lo");
        }
    }

    /** "010.1.1.1": inet_aton (iproute2) reads 8.1.1.1, Java's parsers 10.1.1.1: ambiguous, refused. */
    @ParameterizedTest
    @ValueSource(strings = {"010.1.1.1/24", "10.01.1.1/24", "10.1.1.00/32", "192.168.001.1"})
    void ipv4PartsWithLeadingZerosAreRefusedBeforeAnySyscall(String address) {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link lo = rtnl.link("lo");
            assertThatThrownBy(() -> rtnl.addAddress(lo, address.contains("/") ? address : address + "/32"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(address.split("/")[0])
                    .hasMessageContaining("leading zero");
            // nothing was added: lo has its 127.0.0.1 alone
            assertThat(Ip.addrs(ns).toString()).contains("127.0.0.1").doesNotContain("\"10.", "\"8.", "\"192.");
        }
        assertThat(IpPrefix.parseAddress("10.0.0.1").getHostAddress()).isEqualTo("10.0.0.1"); // a lone 0 is fine
    }

    /**
     * Every public method of Rtnl, Netns and NsFd given null for a reference parameter names that parameter, before
     * any syscall (the first reference parameter is null, the others too: each check must come first).
     */
    @Test
    void nullArgumentsAreNamedByEveryMethod() throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            assertThat(checkNullsAreNamed(Rtnl.class, rtnl)).isGreaterThan(30);
            assertThat(checkNullsAreNamed(Netns.class, null)).isGreaterThanOrEqualTo(7);
            assertThat(checkNullsAreNamed(NsFd.class, ns)).isGreaterThanOrEqualTo(2);
            assertThat(Ip.linkNames(ns)).containsExactly("lo");
        }
    }

    /** Calls each public method of {@code type} with null for its references; returns how many it checked. */
    private static int checkNullsAreNamed(Class<?> type, Object instance) {
        int checked = 0;
        for (java.lang.reflect.Method m : type.getMethods()) {
            if (m.getDeclaringClass() != type
                    || (instance == null && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))) {
                continue;
            }
            java.lang.reflect.Parameter[] params = m.getParameters();
            Object[] args = new Object[params.length];
            String firstReference = null;
            for (int i = 0; i < params.length; i++) {
                Class<?> p = params[i].getType();
                if (p == int.class) {
                    args[i] = 1;
                } else if (p == long.class) {
                    args[i] = 1L;
                } else if (p == boolean.class) {
                    args[i] = true;
                } else if (firstReference == null) {
                    firstReference = params[i].getName();
                }
            }
            if (firstReference == null || m.getName().equals("equals")) {
                continue;
            }
            Object target = java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : instance;
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> m.invoke(target, args));
            assertThat(thrown).as("%s", m).isInstanceOf(java.lang.reflect.InvocationTargetException.class);
            assertThat(thrown.getCause())
                    .as("%s", m)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(firstReference);
            checked++;
        }
        return checked;
    }

    @Test
    void fifteenBytesIsFineSixteenIsNot() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            assertThatThrownBy(() -> LinkSpec.veth("abcdefghijklmnop"))
                    .hasMessageContaining("16 bytes long; the kernel allows at most 15");
            Link l = rtnl.create(LinkSpec.bridge("abcdefghijklmno"));
            assertThat(Ip.link(ns, "abcdefghijklmno")).isNotNull();
            assertThat(l.name()).isEqualTo("abcdefghijklmno");
        }
    }

    @Test
    void duplicateNamesGiveEexistAndLeaveNothingBehind() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.createVeth(LinkSpec.veth("dup0").peer("dup1"));
            assertThatThrownBy(() -> rtnl.createVeth(LinkSpec.veth("dup0").peer("other1")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessage("RTM_NEWLINK veth \"dup0\" peer \"other1\": EEXIST (File exists): \"dup0\" exists in"
                            + " net:[" + ns.ino() + "]")
                    .extracting(e -> ((NetnsException) e).errnoName())
                    .isEqualTo("EEXIST");
            // the peer's name clashing: the local end must not be left behind either
            assertThatThrownBy(() -> rtnl.createVeth(LinkSpec.veth("fresh0").peer("dup1")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWLINK veth \"fresh0\" peer \"dup1\": EEXIST");
            assertThatThrownBy(() -> rtnl.create(LinkSpec.tap("dup0")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("EEXIST");
            assertThat(Ip.linkNames(ns)).containsExactlyInAnyOrder("lo", "dup0", "dup1");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.1.0.1/33",
                "10.1.0/24",
                "10.1.0.256/24",
                "fd00::1/129",
                "example.com/24",
                "10.1.0.1/",
                "/24",
                "fd00:::1/64",
                "1.2.3.4/-1",
                "fd00::1%eth0/64",
                "1:2:3:4:5:6:7:8:9/64",
                "localhost",
                "10.1.0.1/24x",
                "",
                "0x0a.1.0.1/8",
                "fd00::g/64"
            })
    void invalidCidrsAreRejected(String cidr) {
        assertThatThrownBy(() -> IpPrefix.parse(cidr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(cidr.isEmpty() ? "empty" : "\"" + cidr + "\"");
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link lo = rtnl.link("lo");
            assertThatThrownBy(() -> rtnl.addAddress(lo, cidr)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Route.to(cidr)).isInstanceOf(IllegalArgumentException.class);
            assertThat(rtnl.addresses(lo)).hasSize(2); // 127.0.0.1/8 and ::1/128
        }
    }

    @Test
    void validCidrsParseWithoutDns() {
        assertThat(IpPrefix.parse("10.1.0.1/24").toString()).isEqualTo("10.1.0.1/24");
        assertThat(IpPrefix.parse("10.1.0.1/24").network().toString()).isEqualTo("10.1.0.0/24");
        assertThat(IpPrefix.parse("fd00::1/64").toString()).isEqualTo("fd00::1/64");
        assertThat(IpPrefix.parse("FD00:0:0:0:0:0:0:1/64").toString()).isEqualTo("fd00::1/64");
        assertThat(IpPrefix.parse("::ffff:1.2.3.4/128").address().getAddress()).hasSize(16);
        assertThat(IpPrefix.parse("64:ff9b::192.0.2.1/96").toString()).isEqualTo("64:ff9b::c000:201/96");
        assertThat(IpPrefix.parse("192.0.2.7").prefixLength()).isEqualTo(32);
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
    }

    @Test
    void unknownLinksGiveEnodevNamingThem() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            assertThatThrownBy(() -> rtnl.link("nosuch0"))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_GETLINK \"nosuch0\": ENODEV (No such device)")
                    .extracting(e -> ((NetnsException) e).errno())
                    .isEqualTo(19);
            assertThatThrownBy(() -> rtnl.link(4242)).hasMessageStartingWith("RTM_GETLINK index 4242: ENODEV");
            assertThatThrownBy(() -> rtnl.linkByAlias("nobody"))
                    .hasMessageStartingWith("RTM_GETLINK alias \"nobody\": ENODEV");
            assertThat(rtnl.findLink("nosuch0")).isEmpty();
        }
    }

    /** A refused creation names the values that explain it, the errno, and where a name is taken. */
    @Test
    void refusedCreationsNameTheValuesSent() {
        try (NsFd ns = Netns.newTransient();
                NsFd other = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link lo = rtnl.link("lo");
            assertThatThrownBy(
                            () -> rtnl.createVeth(LinkSpec.veth("m0").peer("m1").mtu(70000)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWLINK veth \"m0\" peer \"m1\" (mtu 70000): EINVAL");
            assertThatThrownBy(
                            () -> rtnl.createVeth(LinkSpec.veth("m0").peer("m1").mac("01:00:5e:00:00:01")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith(
                            "RTM_NEWLINK veth \"m0\" peer \"m1\" (address 01:00:5e:00:00:01): EADDRNOTAVAIL");
            assertThatThrownBy(() -> rtnl.create(LinkSpec.macvlan("mv0", lo)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWLINK macvlan \"mv0\" (parent \"lo\" index 1, mode bridge): E");
            Link gone = rtnl.createVeth(LinkSpec.veth("gone0").peer("gone1")).local();
            rtnl.delete(gone);
            assertThatThrownBy(() -> rtnl.create(LinkSpec.macvlan("mv0", gone)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWLINK macvlan \"mv0\" (parent \"gone0\" index " + gone.index());
            assertThat(Ip.linkNames(ns)).containsExactly("lo");

            // EEXIST says which end is taken, and in which namespace
            Netns.execute(other, () -> {
                try (Rtnl inOther = Rtnl.open(other)) {
                    inOther.createVeth(LinkSpec.veth("p0").peer("p1"));
                }
            });
            assertThatThrownBy(
                            () -> rtnl.createVeth(LinkSpec.veth("q0").peer("p1").peerNetns(other)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessage("RTM_NEWLINK veth \"q0\" peer \"p1\": EEXIST (File exists): peer \"p1\" exists in net:["
                            + other.ino() + "]");
            assertThat(Ip.linkNames(ns)).containsExactly("lo");
            assertThat(Ip.linkNames(other)).containsExactlyInAnyOrder("lo", "p0", "p1");
        }
    }

    /** A handle closed before a call fails naming the call, not only the handle. */
    @Test
    void aClosedNamespaceHandleNamesTheCall() throws Exception {
        NsFd closed = Netns.newTransient();
        String label = "net:[" + closed.ino() + "]";
        closed.close();
        String isClosed = "the handle on " + label + " is closed";
        assertThatThrownBy(() -> Netns.execute(closed, () -> 1))
                .isInstanceOf(NetnsException.class)
                .hasMessage("Netns.execute(" + label + "): " + isClosed);
        assertThatThrownBy(() -> Netns.start(closed, new ProcessBuilder("true")))
                .hasMessage("Netns.start(" + label + "): " + isClosed);
        assertThatThrownBy(() -> Rtnl.open(closed)).hasMessage("Rtnl.open(" + label + "): " + isClosed);
        assertThatThrownBy(closed::fd).hasMessage("fd() of " + label + ": " + isClosed);
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            assertThatThrownBy(() -> rtnl.create(LinkSpec.bridge("br0").netns(closed)))
                    .hasMessage("RTM_NEWLINK bridge \"br0\": " + isClosed);
            assertThatThrownBy(
                            () -> rtnl.createVeth(LinkSpec.veth("v0").peer("v1").peerNetns(closed)))
                    .hasMessage("RTM_NEWLINK veth \"v0\" peer \"v1\": " + isClosed);
            Link lo = rtnl.link("lo");
            assertThatThrownBy(() -> rtnl.moveTo(lo, closed))
                    .hasMessage("RTM_SETLINK \"lo\" netns " + label + ": " + isClosed);
            assertThat(Ip.linkNames(ns)).containsExactly("lo");
        }
        // on a thread of its own: enter moves the calling thread when it succeeds
        Throwable entering = dev.jnetns.testing.Eye.onNewThread(
                "enter", () -> org.assertj.core.api.Assertions.catchThrowable(() -> Netns.enter(closed)));
        assertThat(entering).hasMessage("Netns.enter(" + label + "): " + isClosed);
    }

    @Test
    void kernelRefusalsCarryTheExtendedAckText() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link veth = rtnl.createVeth(LinkSpec.veth("big0").peer("big1")).local();
            assertThatThrownBy(() -> rtnl.setMtu(veth, 70000))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_SETLINK \"big0\" mtu 70000: EINVAL (Invalid argument): ")
                    .hasMessageContaining("maximum");
            assertThat(Ip.num(Ip.link(ns, "big0").get("mtu"))).isEqualTo(1500);
            // a gateway that no route reaches
            assertThatThrownBy(() -> rtnl.addRoute(
                            Route.to("10.5.0.0/16").via("10.99.0.1").dev(veth)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageStartingWith("RTM_NEWROUTE 10.5.0.0/16 via 10.99.0.1")
                    .hasMessageContaining("ENETUNREACH");
            assertThat(Ip.routes(ns, "-4")).isEmpty();
        }
    }

    @Test
    void aClosedHandleFailsClearly() {
        NsFd ns = Netns.newTransient();
        Rtnl rtnl = Rtnl.open(ns);
        Link lo = rtnl.link("lo");
        String label = "Rtnl(net:[" + ns.ino() + "])";
        rtnl.close();
        rtnl.close(); // idempotent
        assertThat(rtnl.isOpen()).isFalse();
        assertThat(rtnl.toString()).isEqualTo(label + " (closed)");
        assertThatThrownBy(rtnl::links)
                .isInstanceOf(NetnsException.class)
                .hasMessage("RTM_GETLINK dump: " + label + " is closed");
        assertThatThrownBy(() -> rtnl.setUp(lo)).hasMessageContaining(label + " is closed");
        assertThatThrownBy(() -> rtnl.create(LinkSpec.bridge("br0"))).hasMessageContaining(label + " is closed");
        assertThatThrownBy(() -> rtnl.create(LinkSpec.tap("tap0"))).hasMessageContaining(label + " is closed");
        assertThatThrownBy(() -> rtnl.addAddress(lo, "10.0.0.1/8")).hasMessageContaining(label + " is closed");
        assertThat(Ip.linkNames(ns)).containsExactly("lo");
        ns.close();
        assertThatThrownBy(() -> Rtnl.open(ns))
                .isInstanceOf(NetnsException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aLinkOfAnotherNamespaceIsRefusedAndLeftAlone() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a);
                Rtnl rb = Rtnl.open(b)) {
            VethPair pair = ra.createVeth(LinkSpec.veth("mine0").peer("theirs0").peerNetns(b));
            Link theirs = pair.peer();
            assertThatThrownBy(() -> ra.delete(theirs))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("link \"theirs0\" (index " + theirs.index() + ") was read from net:["
                            + b.ino() + "], but Rtnl(net:[" + a.ino() + "]) works in net:[" + a.ino() + "]");
            assertThatThrownBy(() -> ra.setMtu(theirs, 1400)).isInstanceOf(NetnsException.class);
            assertThatThrownBy(() -> ra.addAddress(theirs, "10.3.0.1/24")).isInstanceOf(NetnsException.class);
            assertThatThrownBy(() -> ra.create(LinkSpec.macvlan("mv0", theirs)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("parent link");
            assertThatThrownBy(() -> ra.setMaster(pair.local(), theirs)).isInstanceOf(NetnsException.class);
            // a route or a VXLAN carries the link's index alone: the handle must still know whose index it is
            assertThatThrownBy(() -> ra.addRoute(Route.to("10.9.0.0/24").dev(theirs)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining(
                            "its link (index " + theirs.index() + ") was read from net:[" + b.ino() + "]");
            assertThatThrownBy(() -> ra.create(
                            LinkSpec.vxlan("vx0", 42).remote("10.3.0.9").device(theirs)))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining(
                            "underlying device (index " + theirs.index() + ") was read from net:[" + b.ino() + "]");
            assertThat(Ip.run(a, "ip", "-j", "route", "show", "10.9.0.0/24").trim())
                    .isIn("", "[]");
            Map<String, Object> seen = Ip.link(b, "theirs0");
            assertThat(Ip.num(seen.get("mtu"))).isEqualTo(1500);
            assertThat(Ip.linkNames(a)).containsExactlyInAnyOrder("lo", "mine0");
            List<Map<String, Object>> addrs = Ip.addrs(b);
            assertThat(addrs.toString()).doesNotContain("10.3.0.1");
            // the right handle works
            assertThat(rb.setMtu(theirs, 1400).mtu()).isEqualTo(1400);
        }
    }
}
