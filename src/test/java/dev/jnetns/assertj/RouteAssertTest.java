package dev.jnetns.assertj;

import static dev.jnetns.assertj.NetnsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Route;
import dev.jnetns.link.Rtnl;
import dev.jnetns.testing.NoFdLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link NetnsAssert#route(String)} and {@link RouteAssert}: each check passes on real routes and fails showing them. */
@ExtendWith(NoFdLeaks.class)
class RouteAssertTest {

    @Test
    void routeChecksNarrowDownAndShowTheRoutesOnFailure() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link v0 = rtnl.createVeth(LinkSpec.veth("v0").peer("v1").up()).local();
            rtnl.addAddress(v0, "10.9.0.1/24");
            rtnl.addAddress(v0, "fd00:9::1/64", AddressOption.NO_DAD);
            rtnl.addRoute(Route.to("10.10.0.0/16").via("10.9.0.2").dev(v0).metric(5));
            rtnl.addRoute(Route.to("10.10.0.0/16")
                    .via("10.9.0.3")
                    .src("10.9.0.1")
                    .mtu(1400)
                    .table(100)
                    .protocol(Route.RTPROT_STATIC));
            rtnl.addRoute(Route.blackhole("10.66.0.0/16"));
            String name = "net:[" + ns.ino() + "]";

            assertThat(ns)
                    .route("10.10.0.0/16")
                    .via("10.9.0.2")
                    .dev("v0")
                    .withMetric(5)
                    .inTable(Route.TABLE_MAIN);
            assertThat(ns)
                    .route("10.10.0.0/16")
                    .inTable(100)
                    .via("10.9.0.3")
                    .withSource("10.9.0.1")
                    .withMtu(1400)
                    .withProtocol(Route.RTPROT_STATIC)
                    .ofType(Route.RTN_UNICAST)
                    .withScope(Route.SCOPE_UNIVERSE);
            assertThat(ns).route("10.66.0.0/16").ofType(Route.RTN_BLACKHOLE);
            assertThat(ns)
                    .route("10.9.0.0/24")
                    .dev("v0")
                    .withScope(Route.SCOPE_LINK)
                    .withSource("10.9.0.1");
            assertThat(ns).route("fd00:9::/64").dev("v0").withMetric(256);
            // hasRouteTo still returns the namespace's assertion, and sees the main table only
            assertThat(ns).hasRouteTo("10.10.0.0/16").hasAddress("10.9.0.1/24");

            // checks narrow: the route via 10.9.0.2 is not the one in table 100
            assertThatThrownBy(() ->
                            assertThat(ns).route("10.10.0.0/16").via("10.9.0.2").inTable(100))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting " + name + " to have a route to 10.10.0.0/16 via 10.9.0.2, in"
                            + " table 100 but its routes to 10.10.0.0/16 are [")
                    .hasMessageContaining(
                            "10.10.0.0/16 via 10.9.0.2 dev v0 table main proto boot scope universe" + " metric 5")
                    .hasMessageContaining("10.10.0.0/16 via 10.9.0.3 dev v0 table 100 proto static scope universe src"
                            + " 10.9.0.1 mtu 1400");
            assertThatThrownBy(() -> assertThat(ns).route("10.66.0.0/16").ofType(Route.RTN_UNREACHABLE))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to have a route to 10.66.0.0/16 of type unreachable but its routes to"
                            + " 10.66.0.0/16 are [blackhole 10.66.0.0/16 table main proto boot scope universe]");
            assertThatThrownBy(() -> assertThat(ns).route("10.9.0.0/24").withMtu(1500))
                    .hasMessageContaining("mtu 1500 but");
            assertThatThrownBy(() -> assertThat(ns).route("10.9.0.0/24").dev("v1"))
                    .hasMessageContaining("dev v1 but");
            assertThatThrownBy(() -> assertThat(ns).route("10.10.0.0/16").withSource("10.9.0.9"))
                    .hasMessageContaining("src 10.9.0.9 but");
            assertThatThrownBy(() -> assertThat(ns).route("10.10.0.0/16").withProtocol(Route.RTPROT_KERNEL))
                    .hasMessageContaining("proto 2 but");
            assertThatThrownBy(() -> assertThat(ns).route("10.10.0.0/16").withMetric(6))
                    .hasMessageContaining("metric 6 but");
            assertThatThrownBy(() -> assertThat(ns).route("10.10.0.0/16").withScope(Route.SCOPE_HOST))
                    .hasMessageContaining("scope 254 but");
            // no route at all: every table but local is shown
            assertThatThrownBy(() -> assertThat(ns).route("10.11.0.0/16"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting " + name + " to have a route to 10.11.0.0/16 (in any table) but"
                            + " its routes (but for the local table) are [")
                    .hasMessageContaining("10.10.0.0/16 via 10.9.0.3 dev v0 table 100")
                    .hasMessageNotContaining("table local");
            assertThatThrownBy(() -> assertThat(ns).as("the uplink").route("10.11.0.0/16"))
                    .hasMessageContaining("[the uplink]");
            assertThatThrownBy(() -> assertThat(ns)
                            .route("10.10.0.0/16")
                            .as("the uplink")
                            .via("10.9.0.9"))
                    .hasMessageContaining("[the uplink]");
        }
    }
}
