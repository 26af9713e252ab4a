package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** IPv4/IPv6 addresses and routes agree with {@code ip -j addr} and {@code ip -j route}. */
@ExtendWith(NoFdLeaks.class)
class AddressRouteTest {

    /** {@code local/prefixlen} of every address ip shows on {@code dev}. */
    private static List<String> ipAddrs(NsFd ns, String dev) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> link : Ip.addrs(ns)) {
            if (!dev.equals(link.get("ifname"))) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) link.get("addr_info");
            for (Map<String, Object> info : infos) {
                String local = String.valueOf(info.get("local"));
                // the kernel's own fe80:: address may finish DAD between the two reads: leave its state out
                out.add(local + "/" + Ip.num(info.get("prefixlen"))
                        + (Boolean.TRUE.equals(info.get("tentative")) && !local.startsWith("fe80")
                                ? " tentative"
                                : ""));
            }
        }
        return out;
    }

    private static List<String> mine(Rtnl rtnl, Link link) {
        List<String> out = new ArrayList<>();
        for (Address a : rtnl.addresses(link)) {
            boolean linkLocal = a.prefix().toString().startsWith("fe80");
            out.add(a.prefix() + (a.isTentative() && !linkLocal ? " tentative" : ""));
        }
        return out;
    }

    @Test
    void ipv4AndIpv6AddressesAddListDelete() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("adr0").peer("adr1").up()).local();
            rtnl.waitUntilUp(link, Duration.ofSeconds(10));
            rtnl.addAddress(link, "10.1.0.1/24");
            rtnl.addAddress(link, "10.1.1.1/16");
            rtnl.addAddress(link, "fd00::1/64", AddressOption.NO_DAD);
            rtnl.addAddress(link, IpPrefix.parse("fd00:2::1/80"), AddressOption.NO_DAD);

            List<String> seen = ipAddrs(ns, "adr0");
            assertThat(seen).contains("10.1.0.1/24", "10.1.1.1/16", "fd00::1/64", "fd00:2::1/80");
            // what the handle lists is exactly what ip shows (link-local fe80:: included)
            assertThat(mine(rtnl, link)).containsExactlyInAnyOrderElementsOf(seen);
            for (Address a : rtnl.addresses(link)) {
                if (a.prefix().toString().startsWith("fd00")) {
                    assertThat(a.isTentative())
                            .as("NO_DAD: %s usable at once", a)
                            .isFalse();
                    assertThat(a.flags() & 0x02).isEqualTo(0x02);
                }
            }
            assertThat(rtnl.addresses()).extracting(Address::linkIndex).contains(1, link.index());

            rtnl.deleteAddress(link, "10.1.1.1/16");
            rtnl.deleteAddress(link, "fd00::1/64");
            seen = ipAddrs(ns, "adr0");
            assertThat(seen).contains("10.1.0.1/24", "fd00:2::1/80").doesNotContain("10.1.1.1/16", "fd00::1/64");
            assertThat(mine(rtnl, link)).containsExactlyInAnyOrderElementsOf(seen);
        }
    }

    private static Map<String, Object> ipRoute(NsFd ns, String family, String dst) {
        for (Map<String, Object> r : Ip.routes(ns, family)) {
            if (dst.equals(r.get("dst"))) {
                return r;
            }
        }
        return null;
    }

    private static Route route(Rtnl rtnl, String dst) {
        for (Route r : rtnl.routes()) {
            if (r.destination().toString().equals(dst)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void routesAddListDelete() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = rtnl.createVeth(LinkSpec.veth("rt0").peer("rt1").up()).local();
            rtnl.waitUntilUp(link, Duration.ofSeconds(10));
            rtnl.addAddress(link, "10.1.0.1/24");
            rtnl.addAddress(link, "fd00::1/64", AddressOption.NO_DAD);

            rtnl.addRoute(Route.to("10.5.0.0/16").via("10.1.0.2"));
            Map<String, Object> r = ipRoute(ns, "-4", "10.5.0.0/16");
            assertThat(r).isNotNull();
            assertThat(r.get("gateway")).isEqualTo("10.1.0.2");
            assertThat(r.get("dev")).isEqualTo("rt0");
            Route read = route(rtnl, "10.5.0.0/16");
            assertThat(IpPrefix.format(read.gateway())).isEqualTo("10.1.0.2");
            assertThat(read.oifIndex()).isEqualTo(link.index());
            assertThat(read.table()).isEqualTo(Route.TABLE_MAIN);

            // directly connected: scope link
            rtnl.addRoute(Route.to("192.0.2.0/24").dev(link).metric(77));
            r = ipRoute(ns, "-4", "192.0.2.0/24");
            assertThat(r.get("scope")).isEqualTo("link");
            assertThat(Ip.num(r.get("metric"))).isEqualTo(77);
            assertThat(route(rtnl, "192.0.2.0/24").scope()).isEqualTo(Route.SCOPE_LINK);
            assertThat(route(rtnl, "192.0.2.0/24").priority()).isEqualTo(77);

            // on-link: a gateway outside every prefix of the link
            rtnl.addRoute(Route.to("10.8.0.0/16").via("172.16.0.9").dev(link).onLink());
            r = ipRoute(ns, "-4", "10.8.0.0/16");
            assertThat(r.get("gateway")).isEqualTo("172.16.0.9");
            assertThat(Ip.<List<String>>get(r, "flags")).contains("onlink");
            assertThat(route(rtnl, "10.8.0.0/16").isOnLink()).isTrue();

            // IPv4 default
            rtnl.addRoute(Route.defaultVia("10.1.0.254"));
            r = ipRoute(ns, "-4", "default");
            assertThat(r.get("gateway")).isEqualTo("10.1.0.254");
            assertThat(route(rtnl, "0.0.0.0/0").isDefault()).isTrue();

            // IPv6: a prefix and a default
            rtnl.addRoute(Route.to("fd00:5::/64").via("fd00::2"));
            r = ipRoute(ns, "-6", "fd00:5::/64");
            assertThat(r.get("gateway")).isEqualTo("fd00::2");
            assertThat(r.get("dev")).isEqualTo("rt0");
            rtnl.addRoute(Route.defaultVia("fd00::2").dev(link));
            r = ipRoute(ns, "-6", "default");
            assertThat(r.get("gateway")).isEqualTo("fd00::2");
            assertThat(IpPrefix.format(route(rtnl, "::/0").gateway())).isEqualTo("fd00::2");

            // both views agree on the whole main table
            List<String> ipDsts = new ArrayList<>();
            for (Map<String, Object> x : Ip.routes(ns, "-4")) {
                ipDsts.add(String.valueOf(x.get("dst")));
            }
            for (Map<String, Object> x : Ip.routes(ns, "-6")) {
                ipDsts.add(String.valueOf(x.get("dst")));
            }
            List<String> myDsts = new ArrayList<>();
            for (Route x : rtnl.routes()) {
                String d = x.isDefault()
                        ? "default"
                        : x.destination().prefixLength() == (x.destination().isIpv6() ? 128 : 32)
                                ? IpPrefix.format(x.destination().address())
                                : x.destination().toString();
                myDsts.add(d);
            }
            assertThat(myDsts).containsExactlyInAnyOrderElementsOf(ipDsts);

            rtnl.deleteRoute(Route.to("10.5.0.0/16"));
            rtnl.deleteRoute(Route.defaultVia("10.1.0.254"));
            rtnl.deleteRoute(Route.to("fd00:5::/64").via("fd00::2"));
            assertThat(ipRoute(ns, "-4", "10.5.0.0/16")).isNull();
            assertThat(ipRoute(ns, "-4", "default")).isNull();
            assertThat(ipRoute(ns, "-6", "fd00:5::/64")).isNull();
            assertThat(route(rtnl, "10.5.0.0/16")).isNull();
            assertThat(ipRoute(ns, "-4", "192.0.2.0/24")).isNotNull();
        }
    }
}
