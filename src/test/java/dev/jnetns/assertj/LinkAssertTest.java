package dev.jnetns.assertj;

import static dev.jnetns.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import dev.jnetns.testing.NoFdLeaks;
import java.util.Locale;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link LinkAssert} check passes on real state and fails with a message showing the current state. */
@ExtendWith(NoFdLeaks.class)
class LinkAssertTest {
    private static Fixture f;

    @BeforeAll
    static void build() {
        f = new Fixture();
    }

    @AfterAll
    static void tearDown() {
        f.close();
    }

    private static String a0() {
        return "link \"a0\" in " + f.aName();
    }

    // ---------------------------------------------------------------- up and down

    @Test
    void isUp() {
        assertThat(f.a0).in(f.a).isUp();
        assertThat(f.b0).in(f.b).isUp();
        assertThatThrownBy(() -> assertThat(f.d0).in(f.a).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"d0\" in " + f.aName()
                        + " to be up, but it is down (flags: BROADCAST,MULTICAST; operstate: DOWN)");
    }

    @Test
    void aStaleSnapshotIsCheckedAgainstTheCurrentState() {
        VethPair pair = f.ra.createVeth(LinkSpec.veth("s0").peer("s1").up());
        Link snapshot = f.ra.link("s0");
        Assertions.assertThat(snapshot.isUp()).isTrue();
        assertThat(snapshot).in(f.a).isUp();
        f.ra.setDown(pair.local());
        Assertions.assertThat(snapshot.isUp()).as("the snapshot itself").isTrue();
        assertThatThrownBy(() -> assertThat(snapshot).in(f.a).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"s0\" in " + f.aName() + " to be up, but it is down"
                        + " (flags: BROADCAST,MULTICAST; operstate: DOWN)");
        assertThat(snapshot).in(f.a).isDown();
        f.ra.delete(pair.local());
    }

    @Test
    void isDown() {
        assertThat(f.d0).in(f.a).isDown();
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).isDown())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to be down, but it is up (flags: BROADCAST,MULTICAST,UP,"
                        + "LOWER_UP; operstate: UP)");
    }

    @Test
    void isOperationallyUp() {
        assertThat(f.a0).in(f.a).isOperationallyUp();
        assertThat(f.ra.link("lo")).in(f.a).isOperationallyUp(); // operstate UNKNOWN counts as up
        VethPair half = f.ra.createVeth(LinkSpec.veth("h0").peer("h1"));
        f.ra.setUp(half.local()); // its peer stays down: no carrier
        assertThatThrownBy(() -> assertThat(half.local()).in(f.a).isOperationallyUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"h0\" in " + f.aName()
                        + " to be operationally up (up, operstate UP or UNKNOWN), but it is up with operstate"
                        + " LOWERLAYERDOWN (flags: BROADCAST,MULTICAST,UP; operstate: LOWERLAYERDOWN)");
        assertThatThrownBy(() -> assertThat(f.d0).in(f.a).isOperationallyUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is down with operstate DOWN");
        f.ra.delete(half.local());
    }

    @Test
    void isPromiscuous() {
        assertThat(f.p1).in(f.a).isPromiscuous();
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).isPromiscuous())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0()
                        + " to be promiscuous, but it is not (flags: BROADCAST,MULTICAST,UP,LOWER_UP)");
    }

    // ---------------------------------------------------------------- settings

    @Test
    void hasMtu() {
        assertThat(f.a0).in(f.a).hasMtu(1500);
        assertThat(f.p0).in(f.a).hasMtu(1400);
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasMtu(9000))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to have MTU 9000, but it has MTU 1500");
    }

    @Test
    void hasNameReadsTheCurrentName() {
        assertThat(f.a0).in(f.a).hasName("a0");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasName("eth0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link (index " + f.a0.index() + ") in " + f.aName()
                        + " to be named \"eth0\", but it is named \"a0\"");
        Link before = f.ra.createVeth(LinkSpec.veth("n0").peer("n1")).local();
        f.ra.rename(before, "renamed0");
        assertThat(before).in(f.a).hasName("renamed0");
        assertThatThrownBy(() -> assertThat(before).in(f.a).hasName("n0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be named \"n0\", but it is named \"renamed0\"");
        f.ra.delete(f.ra.link("renamed0"));
    }

    @Test
    void hasKind() {
        assertThat(f.a0).in(f.a).hasKind("veth");
        assertThat(f.br0).in(f.a).hasKind("bridge");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasKind("bridge"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to be of kind \"bridge\", but it is of kind \"veth\"");
        assertThatThrownBy(() -> assertThat(f.ra.link("lo")).in(f.a).hasKind("veth"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting link \"lo\" in " + f.aName() + " to be of kind \"veth\", but it has no kind");
    }

    @Test
    void hasMac() {
        String mac = f.a0.mac();
        assertThat(f.a0).in(f.a).hasMac(mac).hasMac(mac.toUpperCase(Locale.ROOT));
        Link changed = f.ra.createVeth(LinkSpec.veth("m0").peer("m1")).local();
        f.ra.setMac(changed, "02:00:00:00:00:42");
        assertThat(changed).in(f.a).hasMac("02:00:00:00:00:42");
        assertThatThrownBy(() -> assertThat(changed).in(f.a).hasMac("02:00:00:00:00:01"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"m0\" in " + f.aName()
                        + " to have MAC 02:00:00:00:00:01, but it has 02:00:00:00:00:42");
        f.ra.delete(changed);
    }

    @Test
    void hasAlias() {
        assertThat(f.a0).in(f.a).hasAlias("uplink");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasAlias("downlink"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to have alias \"downlink\", but it has \"uplink\"");
        assertThatThrownBy(() -> assertThat(f.br0).in(f.a).hasAlias("uplink"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting link \"br0\" in " + f.aName() + " to have alias \"uplink\", but it has none");
    }

    // ---------------------------------------------------------------- addresses

    @Test
    void hasAddressComparesAddressAndPrefixLength() {
        assertThat(f.a0)
                .in(f.a)
                .hasAddress("10.1.0.1/24")
                .hasAddress("fd00:1::1/64")
                .hasAddress("FD00:1:0::1/64");
        assertThat(f.b0).in(f.b).hasAddress("10.1.0.2/24");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasAddress("10.1.0.1/16"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to have address 10.1.0.1/16, but it has [10.1.0.1/24,"
                        + " fd00:1::1/64, fe80::");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasAddress("fd00:1::2/64"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have address fd00:1::2/64, but it has [10.1.0.1/24, fd00:1::1/64");
        assertThatThrownBy(() -> assertThat(f.d0).in(f.a).hasAddress("10.1.0.1/24"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting link \"d0\" in " + f.aName() + " to have address 10.1.0.1/24, but it has []");
    }

    @Test
    void hasAddressRejectsAnInvalidCidr() {
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasAddress("10.1.0.300/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CIDR \"10.1.0.300/24\"");
    }

    @Test
    void hasNoAddress() {
        assertThat(f.a0)
                .in(f.a)
                .hasNoAddress("10.1.0.2/24")
                .hasNoAddress("10.1.0.1/16")
                .hasNoAddress("fd00:1::1/128");
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).hasNoAddress("10.1.0.1/24"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " not to have address 10.1.0.1/24, but it has [10.1.0.1/24,"
                        + " fd00:1::1/64");
    }

    // ---------------------------------------------------------------- master

    @Test
    void isEnslavedTo() {
        assertThat(f.p0).in(f.a).isEnslavedTo(f.br0);
        assertThatThrownBy(() -> assertThat(f.a0).in(f.a).isEnslavedTo(f.br0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + a0() + " to be enslaved to \"br0\" (index " + f.br0.index()
                        + "), but it has no master");
        Link other = f.ra.create(LinkSpec.bridge("br1"));
        try {
            assertThatThrownBy(() -> assertThat(f.p0).in(f.a).isEnslavedTo(other))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting link \"p0\" in " + f.aName() + " to be enslaved to \"br1\" (index "
                            + other.index() + "), but its master is \"br0\" (index " + f.br0.index() + ")");
        } finally {
            f.ra.delete(other);
        }
        assertThatThrownBy(() -> assertThat(f.p0).in(f.a).isEnslavedTo(f.b0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but that master was read from " + f.bName());
    }

    @Test
    void aPortLeavingItsBridgeIsSeen() {
        VethPair pair = f.ra.createVeth(LinkSpec.veth("q0").peer("q1"));
        Link port = f.ra.setMaster(pair.local(), f.br0);
        assertThat(port).in(f.a).isEnslavedTo(f.br0);
        f.ra.setNoMaster(port);
        assertThat(port).in(f.a).hasNoMaster();
        assertThatThrownBy(() -> assertThat(port).in(f.a).isEnslavedTo(f.br0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it has no master");
        f.ra.delete(port);
    }

    @Test
    void hasNoMaster() {
        assertThat(f.a0).in(f.a).hasNoMaster();
        assertThat(f.br0).in(f.a).hasNoMaster();
        assertThatThrownBy(() -> assertThat(f.p0).in(f.a).hasNoMaster())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"p0\" in " + f.aName()
                        + " to have no master, but it is enslaved to \"br0\" (index " + f.br0.index() + ")");
    }

    // ---------------------------------------------------------------- where the link lives

    @Test
    void aLinkInAnotherNamespaceNeedsIn() {
        assertThatThrownBy(() -> assertThat(f.a0).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cannot check link \"a0\" (index " + f.a0.index() + "): it lives in " + f.aName()
                        + ", but the calling thread is in net:[")
                .hasMessageContaining("use assertThat(link).in(ns)");
        assertThat(f.a0).in(f.a).isUp();
        assertThat(f.b0).in(f.b).isUp().hasAddress("10.1.0.2/24");
    }

    @Test
    void inTheLinksOwnNamespaceNoHandleIsNeeded() {
        Netns.execute(f.a, () -> {
            assertThat(f.a0).isUp().hasMtu(1500).hasAddress("10.1.0.1/24");
            assertThatThrownBy(() -> assertThat(f.a0).isDown())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting " + a0() + " to be down, but it is up");
            // b0 is elsewhere
            assertThatThrownBy(() -> assertThat(f.b0).isUp())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("it lives in " + f.bName() + ", but the calling thread is in " + f.aName());
        });
        Netns.execute(f.b, () -> assertThat(f.b0).isUp());
    }

    @Test
    void inNamingAnotherNamespaceFails() {
        assertThatThrownBy(() -> assertThat(f.a0).in(f.b).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cannot check link \"a0\" (index " + f.a0.index() + "): it was read from "
                        + f.aName() + ", but .in() names " + f.bName());
    }

    @Test
    void aClosedHandleFails() {
        NsFd closed = NsFd.ofPath("/proc/self/fd/" + f.a.fd());
        closed.close();
        assertThatThrownBy(() -> assertThat(f.a0).in(closed).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the handle given with .in() to " + f.aName() + " is closed");
    }

    @Test
    void aDeletedLinkFails() {
        Link gone = f.ra.createVeth(LinkSpec.veth("g0").peer("g1").up()).local();
        f.ra.delete(gone);
        assertThatThrownBy(() -> assertThat(gone).in(f.a).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting link \"g0\" (index " + gone.index() + ") in " + f.aName()
                        + " to exist, but it is gone");
    }

    @Test
    void aMovedLinkIsGoneFromWhereItWasRead() {
        try (NsFd c = Netns.newTransient();
                Rtnl rc = Rtnl.open(c)) {
            Link before = f.ra.createVeth(LinkSpec.veth("mv0").peer("mv1")).local();
            Link after = f.ra.moveTo(before, c);
            assertThatThrownBy(() -> assertThat(before).in(f.a).hasName("mv0"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to exist, but it is gone");
            assertThat(after).in(c).hasName("mv0").isDown();
            rc.delete(after);
        }
    }

    @Test
    void aNullLinkFails() {
        assertThatThrownBy(() -> assertThat((Link) null).isUp())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    // ---------------------------------------------------------------- AssertJ conventions

    @Test
    void theDescriptionIsInTheMessage() {
        assertThatThrownBy(() ->
                        assertThat(f.a0).in(f.a).as("the uplink of %s", "a").hasMtu(9000))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[the uplink of a]")
                .hasMessageContaining("to have MTU 9000, but it has MTU 1500");
        assertThatThrownBy(() -> assertThat(f.a0).as("the uplink").in(f.a).isDown())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[the uplink] Expecting " + a0() + " to be down");
    }

    @Test
    void overridingTheMessageWorks() {
        assertThatThrownBy(() -> assertThat(f.a0)
                        .in(f.a)
                        .withFailMessage("custom %s", "text")
                        .hasMtu(1))
                .isInstanceOf(AssertionError.class)
                .hasMessage("custom text");
    }
}
