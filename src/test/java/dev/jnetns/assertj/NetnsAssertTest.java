package dev.jnetns.assertj;

import static dev.jnetns.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Route;
import dev.jnetns.testing.NoFdLeaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link NetnsAssert} check passes on real state and fails with a message showing what the namespace has. */
@ExtendWith(NoFdLeaks.class)
class NetnsAssertTest {
    private static Fixture f;

    @BeforeAll
    static void build() {
        f = new Fixture();
    }

    @AfterAll
    static void tearDown() {
        f.close();
    }

    @Test
    void hasLink() {
        assertThat(f.a).hasLink("lo").hasLink("a0").hasLink("br0").hasLink("p0");
        assertThat(f.b).hasLink("b0");
        assertThatThrownBy(() -> assertThat(f.b).hasLink("a0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have link \"a0\" but it has [lo, b0]");
    }

    @Test
    void doesNotHaveLink() {
        assertThat(f.b).doesNotHaveLink("a0").doesNotHaveLink("br0");
        assertThatThrownBy(() -> assertThat(f.b).doesNotHaveLink("b0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " not to have link \"b0\" but it has: Link["
                        + f.b0.index() + ": b0 (veth) UP")
                .hasMessageContaining("(all links: [lo, b0])");
    }

    @Test
    void hasOnlyLinks() {
        assertThat(f.b).hasOnlyLinks("lo", "b0").hasOnlyLinks("b0", "lo");
        assertThatThrownBy(() -> assertThat(f.b).hasOnlyLinks("lo"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have only links [lo] but it has [lo, b0]"
                        + " (missing: [], unexpected: [b0])");
        assertThatThrownBy(() -> assertThat(f.b).hasOnlyLinks("lo", "b0", "eth0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have only links [lo, b0, eth0] but it has"
                        + " [lo, b0] (missing: [eth0], unexpected: [])");
        try (NsFd fresh = Netns.newTransient()) {
            assertThat(fresh).hasOnlyLinks("lo");
        }
    }

    @Test
    void hasRouteTo() {
        assertThat(f.a)
                .hasRouteTo("0.0.0.0/0")
                .hasRouteTo("::/0")
                .hasRouteTo("10.9.0.0/16")
                .hasRouteTo("10.1.0.0/24")
                .hasRouteTo("fd00:1::/64");
        assertThat(f.b).hasRouteTo("10.1.0.0/24");
        assertThatThrownBy(() -> assertThat(f.a).hasRouteTo("10.8.0.0/16"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.aName() + " to have a route to 10.8.0.0/16 but its routes are"
                        + " [default via 10.1.0.2 dev a0, 10.1.0.0/24 dev a0 scope link, 10.9.0.0/16 via 10.1.0.2"
                        + " dev a0, ")
                .hasMessageContaining("fd00:1::/64 dev a0")
                .hasMessageContaining("default (::/0) via fd00:1::2 dev a0");
        // a route is matched by its exact prefix, not by covering the address
        assertThatThrownBy(() -> assertThat(f.a).hasRouteTo("10.9.1.0/24"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have a route to 10.9.1.0/24 but its routes are");
        assertThatThrownBy(() -> assertThat(f.b).hasRouteTo("0.0.0.0/0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have a route to 0.0.0.0/0 (default) but its"
                        + " routes are [10.1.0.0/24 dev b0 scope link");
        assertThatThrownBy(() -> assertThat(f.b).hasRouteTo("::/0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have a route to ::/0 (default) but its routes are");
    }

    @Test
    void aDeletedRouteIsSeen() {
        f.ra.addRoute(Route.to("10.7.0.0/16").via("10.1.0.2"));
        assertThat(f.a).hasRouteTo("10.7.0.0/16");
        f.ra.deleteRoute(Route.to("10.7.0.0/16").via("10.1.0.2"));
        assertThatThrownBy(() -> assertThat(f.a).hasRouteTo("10.7.0.0/16"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have a route to 10.7.0.0/16 but its routes are");
    }

    @Test
    void hasAddressOnAnyLink() {
        assertThat(f.a)
                .hasAddress("10.1.0.1/24")
                .hasAddress("fd00:1::1/64")
                .hasAddress("127.0.0.1/8")
                .hasAddress("::1/128");
        assertThat(f.b).hasAddress("10.1.0.2/24");
        assertThatThrownBy(() -> assertThat(f.b).hasAddress("10.1.0.1/24"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have address 10.1.0.1/24 (on any link) but it"
                        + " has [127.0.0.1/8 on lo, 10.1.0.2/24 on b0, ::1/128 on lo, fe80::");
        assertThatThrownBy(() -> assertThat(f.a).hasAddress("10.1.0.1/25"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("10.1.0.1/24 on a0");
    }

    @Test
    void linkNavigatesToTheLinkInThisNamespace() {
        assertThat(f.a).link("a0").isUp().hasMtu(1500).hasAddress("10.1.0.1/24");
        assertThat(f.a).link("p0").isEnslavedTo(f.br0);
        assertThat(f.b).link("b0").hasAddress("10.1.0.2/24");
        assertThatThrownBy(() -> assertThat(f.a).link("a0").hasMtu(9000))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting link \"a0\" in " + f.aName() + " to have MTU 9000, but it has MTU 1500");
        assertThatThrownBy(() -> assertThat(f.b).link("a0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting " + f.bName() + " to have link \"a0\" but it has [lo, b0]");
    }

    @Test
    void linkCarriesTheDescription() {
        assertThatThrownBy(() -> assertThat(f.a).as("namespace a").link("a0").isDown())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[namespace a] Expecting link \"a0\" in " + f.aName() + " to be down");
    }

    @Test
    void checksSeeLinksMadeAndDeletedMeanwhile() {
        Link late = f.rb.create(LinkSpec.bridge("late0"));
        assertThat(f.b).hasLink("late0").hasOnlyLinks("lo", "b0", "late0");
        f.rb.delete(late);
        assertThat(f.b).doesNotHaveLink("late0").hasOnlyLinks("lo", "b0");
    }

    @Test
    void theDescriptionIsInTheMessage() {
        assertThatThrownBy(() -> assertThat(f.b).as("the peer's namespace").hasLink("eth0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[the peer's namespace] Expecting " + f.bName() + " to have link \"eth0\"");
    }

    @Test
    void aClosedOrNullHandleFails() {
        NsFd closed = NsFd.ofPath("/proc/self/fd/" + f.b.fd());
        closed.close();
        assertThatThrownBy(() -> assertThat(closed).hasLink("lo"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting an open handle to " + f.bName() + ", but it is closed");
        assertThatThrownBy(() -> assertThat((NsFd) null).hasLink("lo"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void anInvalidCidrIsRejected() {
        assertThatThrownBy(() -> assertThat(f.a).hasRouteTo("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CIDR");
        assertThatThrownBy(() -> assertThat(f.a).hasAddress("not-an-address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CIDR");
    }
}
