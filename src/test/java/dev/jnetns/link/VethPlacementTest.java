package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every placement of a veth pair's ends, checked with {@code ip -j -d link} inside each namespace. */
@ExtendWith(NoFdLeaks.class)
class VethPlacementTest {

    private static void assertVeth(NsFd ns, Link link, String name) {
        assertThat(link.name()).isEqualTo(name);
        assertThat(link.kind()).isEqualTo("veth");
        assertThat(link.netnsIno()).isEqualTo(ns.ino());
        Map<String, Object> seen = Ip.link(ns, name);
        assertThat(seen).as("ip -j link in %s shows %s", ns, name).isNotNull();
        assertThat(Ip.num(seen.get("ifindex"))).isEqualTo(link.index());
        assertThat(Ip.<String>get(seen, "linkinfo", "info_kind")).isEqualTo("veth");
        assertThat(seen.get("address")).isEqualTo(link.mac());
    }

    @Test
    void bothEndsHere() {
        try (NsFd a = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("here0").peer("here1").mtu(1400));
            assertVeth(a, pair.local(), "here0");
            assertVeth(a, pair.peer(), "here1");
            assertThat(Ip.num(Ip.link(a, "here0").get("mtu"))).isEqualTo(1400);
            assertThat(Ip.num(Ip.link(a, "here1").get("mtu"))).isEqualTo(1400);
            // each end names the other as its link
            assertThat(Ip.link(a, "here0").get("link")).isEqualTo("here1");
            assertThat(Ip.linkNames(a)).containsExactlyInAnyOrder("lo", "here0", "here1");
        }
    }

    @Test
    void peerInAnotherNamespace() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(
                    LinkSpec.veth("loc0").peer("rem0").peerNetns(b).up());
            assertVeth(a, pair.local(), "loc0");
            assertVeth(b, pair.peer(), "rem0");
            assertThat(Ip.linkNames(a)).containsExactlyInAnyOrder("lo", "loc0");
            assertThat(Ip.linkNames(b)).containsExactlyInAnyOrder("lo", "rem0");
            assertThat(Ip.<java.util.List<String>>get(Ip.link(a, "loc0"), "flags"))
                    .contains("UP");
            assertThat(Ip.<java.util.List<String>>get(Ip.link(b, "rem0"), "flags"))
                    .contains("UP");
        }
    }

    @Test
    void bothEndsInOneOtherNamespace() {
        try (NsFd here = Netns.newTransient();
                NsFd other = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(here)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("far0").peer("far1").netns(other));
            assertVeth(other, pair.local(), "far0");
            assertVeth(other, pair.peer(), "far1");
            assertThat(Ip.linkNames(here)).containsExactly("lo");
            assertThat(Ip.linkNames(other)).containsExactlyInAnyOrder("lo", "far0", "far1");
        }
    }

    @Test
    void endsInTwoDifferentOtherNamespaces() {
        try (NsFd here = Netns.newTransient();
                NsFd x = Netns.newTransient();
                NsFd y = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(here)) {
            VethPair pair =
                    rtnl.createVeth(LinkSpec.veth("x0").peer("y0").netns(x).peerNetns(y));
            assertVeth(x, pair.local(), "x0");
            assertVeth(y, pair.peer(), "y0");
            assertThat(Ip.linkNames(here)).containsExactly("lo");
            assertThat(Ip.linkNames(x)).containsExactlyInAnyOrder("lo", "x0");
            assertThat(Ip.linkNames(y)).containsExactlyInAnyOrder("lo", "y0");
        }
    }

    @Test
    void deletingOneEndRemovesBoth() {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair pair = rtnl.createVeth(LinkSpec.veth("del0").peer("del1").peerNetns(b));
            assertThat(Ip.linkNames(b)).contains("del1");
            rtnl.delete(pair.local());
            assertThat(Ip.linkNames(a)).containsExactly("lo");
            assertThat(Ip.linkNames(b)).containsExactly("lo");
            assertThat(rtnl.findLink("del0")).isEmpty();
        }
    }

    @Test
    void randomNamesFitAndDiffer() {
        try (NsFd a = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(a)) {
            VethPair one = rtnl.createVeth(LinkSpec.veth());
            VethPair two = rtnl.createVeth(LinkSpec.veth());
            for (Link l : new Link[] {one.local(), one.peer(), two.local(), two.peer()}) {
                assertThat(l.name()).hasSize(15).startsWith("veth");
                assertThat(Ip.link(a, l.name())).isNotNull();
            }
            assertThat(Ip.linkNames(a)).hasSize(5).doesNotHaveDuplicates();
        }
    }
}
