package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Addresses with peer, label, scope, lifetimes and flags, and replace: each checked with {@code ip -j addr}. */
@ExtendWith(NoFdLeaks.class)
class AddressSpecTest {

    /** ip's {@code addr_info} entry for {@code local} on {@code dev}, or null. */
    private static Map<String, Object> ipAddr(NsFd ns, String dev, String local) {
        for (Map<String, Object> link : Ip.parseArray(Ip.run(ns, "ip", "-j", "addr", "show", "dev", dev))) {
            List<Map<String, Object>> infos = Ip.get(link, "addr_info");
            for (Map<String, Object> info : infos) {
                if (local.equals(info.get("local"))) {
                    return info;
                }
            }
        }
        return null;
    }

    private static Address mine(Rtnl rtnl, Link link, String local) {
        return rtnl.addresses(link).stream()
                .filter(a -> IpPrefix.format(a.prefix().address()).equals(local))
                .findFirst()
                .orElse(null);
    }

    private static Link veth(Rtnl rtnl, String name) {
        return rtnl.createVeth(LinkSpec.veth(name).peer(name + "p").up()).local();
    }

    @Test
    void labelScopeAndNoPrefixRouteAreSentAndReadBack() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = veth(rtnl, "as0");
            rtnl.addAddress(
                    link,
                    AddressSpec.of("10.1.0.1/24")
                            .label("as0:web")
                            .scope(Address.SCOPE_LINK)
                            .options(AddressOption.NO_PREFIX_ROUTE));
            Map<String, Object> ip = ipAddr(ns, "as0", "10.1.0.1");
            assertThat(ip).containsEntry("label", "as0:web").containsEntry("scope", "link");
            assertThat(ip.get("noprefixroute")).isEqualTo(true);
            assertThat(Ip.routes(ns, "-4")).noneMatch(r -> "10.1.0.0/24".equals(r.get("dst")));

            Address a = mine(rtnl, link, "10.1.0.1");
            assertThat(a.label()).isEqualTo("as0:web");
            assertThat(a.scope()).isEqualTo(Address.SCOPE_LINK);
            assertThat(a.has(AddressOption.NO_PREFIX_ROUTE)).isTrue();
            assertThat(a.isPermanent()).isTrue();
            assertThat(a.peer()).isNull();
            assertThat(a.validLifetime()).isNull();

            // without the option, the kernel adds the prefix route
            rtnl.addAddress(link, AddressSpec.of("10.2.0.1/24"));
            assertThat(Ip.routes(ns, "-4")).anyMatch(r -> "10.2.0.0/24".equals(r.get("dst")));
            assertThat(mine(rtnl, link, "10.2.0.1").label()).isEqualTo("as0");
        }
    }

    @Test
    void pointToPointPeersIpv4AndIpv6() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = veth(rtnl, "pp0");
            rtnl.addAddress(link, AddressSpec.of("10.9.0.1/32").peer("10.9.0.2"));
            rtnl.addAddress(
                    link, AddressSpec.of("fd00:9::1/128").peer("fd00:9::2").options(AddressOption.NO_DAD));
            assertThat(ipAddr(ns, "pp0", "10.9.0.1")).containsEntry("address", "10.9.0.2");
            assertThat(ipAddr(ns, "pp0", "fd00:9::1")).containsEntry("address", "fd00:9::2");
            // the kernel's route goes to the peer
            assertThat(Ip.routes(ns, "-4")).anyMatch(r -> "10.9.0.2".equals(r.get("dst")));

            assertThat(IpPrefix.format(mine(rtnl, link, "10.9.0.1").peer())).isEqualTo("10.9.0.2");
            assertThat(IpPrefix.format(mine(rtnl, link, "fd00:9::1").peer())).isEqualTo("fd00:9::2");
            assertThat(mine(rtnl, link, "10.9.0.1").prefix().prefixLength()).isEqualTo(32);

            // as with ip addr del: the kernel matches an IPv4 address on its peer
            assertThatThrownBy(() -> rtnl.deleteAddress(link, "10.9.0.1/32"))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("EADDRNOTAVAIL");
            assertThat(ipAddr(ns, "pp0", "10.9.0.1")).isNotNull();
            rtnl.deleteAddress(link, AddressSpec.of("10.9.0.1/32").peer("10.9.0.2"));
            rtnl.deleteAddress(link, AddressSpec.of("fd00:9::1/128").peer("fd00:9::2"));
            assertThat(ipAddr(ns, "pp0", "10.9.0.1")).isNull();
            assertThat(ipAddr(ns, "pp0", "fd00:9::1")).isNull();
        }
    }

    @Test
    void lifetimesAndIpv6FlagsAreSentAndReadBack() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = veth(rtnl, "lt0");
            rtnl.addAddress(
                    link,
                    AddressSpec.of("10.3.0.1/24")
                            .validFor(Duration.ofSeconds(300))
                            .preferredFor(Duration.ofSeconds(100)));
            rtnl.addAddress(
                    link,
                    AddressSpec.of("fd00:3::1/64")
                            .preferredFor(Duration.ZERO)
                            .validFor(Duration.ofSeconds(200))
                            .options(
                                    AddressOption.NO_DAD,
                                    AddressOption.HOME_ADDRESS,
                                    AddressOption.MANAGE_TEMP_ADDRESS));

            Map<String, Object> v4 = ipAddr(ns, "lt0", "10.3.0.1");
            assertThat(Ip.num(v4.get("valid_life_time"))).isBetween(250L, 300L);
            assertThat(Ip.num(v4.get("preferred_life_time"))).isBetween(50L, 100L);
            assertThat(v4.get("dynamic")).isEqualTo(true);
            Address a4 = mine(rtnl, link, "10.3.0.1");
            assertThat(a4.validLifetime()).isBetween(Duration.ofSeconds(250), Duration.ofSeconds(300));
            assertThat(a4.preferredLifetime()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(100));
            assertThat(a4.isPermanent()).isFalse();
            assertThat(a4.isDeprecated()).isFalse();

            Map<String, Object> v6 = ipAddr(ns, "lt0", "fd00:3::1");
            assertThat(v6)
                    .containsEntry("nodad", true)
                    .containsEntry("home", true)
                    .containsEntry("mngtmpaddr", true)
                    .containsEntry("deprecated", true);
            assertThat(Ip.num(v6.get("preferred_life_time"))).isZero();
            Address a6 = mine(rtnl, link, "fd00:3::1");
            assertThat(a6.isDeprecated()).isTrue();
            assertThat(a6.has(AddressOption.NO_DAD)).isTrue();
            assertThat(a6.has(AddressOption.HOME_ADDRESS)).isTrue();
            assertThat(a6.has(AddressOption.MANAGE_TEMP_ADDRESS)).isTrue();
            assertThat(a6.preferredLifetime()).isEqualTo(Duration.ZERO);
            assertThat(a6.validLifetime()).isBetween(Duration.ofSeconds(150), Duration.ofSeconds(200));
        }
    }

    @Test
    void replaceChangesLifetimesIpv6FlagsAndAddsWhenAbsent() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = veth(rtnl, "rp0");
            rtnl.addAddress(
                    link,
                    AddressSpec.of("10.4.0.1/24")
                            .validFor(Duration.ofSeconds(60))
                            .options(AddressOption.NO_PREFIX_ROUTE));
            rtnl.replaceAddress(link, AddressSpec.of("10.4.0.1/24").label("rp0:x"));
            Map<String, Object> ip = ipAddr(ns, "rp0", "10.4.0.1");
            assertThat(ip.get("noprefixroute"))
                    .as("IPv4 keeps its flags on replace")
                    .isEqualTo(true);
            assertThat(Ip.num(ip.get("valid_life_time"))).isEqualTo(4294967295L);
            assertThat(ip).as("the kernel keeps the label on replace").containsEntry("label", "rp0");
            Address a = mine(rtnl, link, "10.4.0.1");
            assertThat(a.validLifetime()).isNull();
            assertThat(a.isPermanent()).isTrue();
            assertThat(rtnl.addresses(link)).filteredOn(x -> !x.isIpv6()).hasSize(1);

            // add refuses what replace changes
            assertThatThrownBy(() -> rtnl.addAddress(link, AddressSpec.of("10.4.0.1/24")))
                    .isInstanceOf(NetnsException.class)
                    .hasMessageContaining("RTM_NEWADDR 10.4.0.1/24 on \"rp0\"")
                    .hasMessageContaining("EEXIST");
            // IPv6 takes the flags anew
            rtnl.addAddress(
                    link, AddressSpec.of("fd00:4::1/64").options(AddressOption.NO_DAD, AddressOption.HOME_ADDRESS));
            rtnl.replaceAddress(
                    link, AddressSpec.of("fd00:4::1/64").options(AddressOption.NO_DAD, AddressOption.NO_PREFIX_ROUTE));
            assertThat(ipAddr(ns, "rp0", "fd00:4::1"))
                    .containsEntry("noprefixroute", true)
                    .doesNotContainKey("home");
            Address six = mine(rtnl, link, "fd00:4::1");
            assertThat(six.has(AddressOption.HOME_ADDRESS)).isFalse();
            assertThat(six.has(AddressOption.NO_PREFIX_ROUTE)).isTrue();
            // replace adds when absent
            rtnl.replaceAddress(link, AddressSpec.of("10.5.0.1/24"));
            assertThat(ipAddr(ns, "rp0", "10.5.0.1")).isNotNull();
        }
    }

    @Test
    void badSpecsAreRefusedBeforeAnySyscallNamingTheValue() {
        AddressSpec v4 = AddressSpec.of("10.1.0.1/24");
        assertThatThrownBy(() -> v4.peer("fd00::2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("peer fd00::2 and address 10.1.0.1/24 differ in family");
        assertThatThrownBy(() -> AddressSpec.of("fd00::1/64").label("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6 addresses (fd00::1/64) have no label");
        assertThatThrownBy(() -> v4.label("a-name-that-is-too-long"))
                .hasMessageContaining("label \"a-name-that-is-too-long\" must be 1 to 15 bytes");
        assertThatThrownBy(() -> v4.scope(256)).hasMessage("scope 256 is outside 0 to 255");
        assertThatThrownBy(() -> v4.validFor(Duration.ZERO)).hasMessageContaining("valid lifetime PT0S");
        assertThatThrownBy(() -> v4.validFor(Duration.ofMillis(1500))).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> v4.validFor(Duration.ofSeconds(10)).preferredFor(Duration.ofSeconds(20)))
                .hasMessage("preferred lifetime PT20S is longer than the valid lifetime PT10S");
        assertThatThrownBy(() -> v4.preferredFor(Duration.ofSeconds(20)).validFor(Duration.ofSeconds(10)))
                .hasMessage("valid lifetime PT10S is shorter than the preferred lifetime PT20S");
        assertThatThrownBy(() -> v4.validFor(Duration.ofSeconds(0xffffffffL))).hasMessageContaining("4294967294");
    }

    @Test
    void aLabelNotBeginningWithTheLinkNameIsRefusedAndNothingIsAdded() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            Link link = veth(rtnl, "lb0");
            assertThatThrownBy(() ->
                            rtnl.addAddress(link, AddressSpec.of("10.6.0.1/24").label("eth0:1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("label \"eth0:1\" must begin with the link's name \"lb0\"");
            assertThat(ipAddr(ns, "lb0", "10.6.0.1")).isNull();
        }
    }
}
