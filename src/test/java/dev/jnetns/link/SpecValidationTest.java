package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Specs and value types validate their input before anything reaches the kernel. */
class SpecValidationTest {

    @Test
    void settingsThatDoNotFitTheKindAreRefused() {
        assertThatThrownBy(() -> LinkSpec.bridge("b0").peer("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bridge");
        assertThatThrownBy(() -> LinkSpec.veth("v0").port(4789)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkSpec.veth("v0").mode(MacvlanMode.BRIDGE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkSpec.tap("t0").infoData(1, new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> QdiscSpec.tbf(1, 1, Duration.ZERO).delay(Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> LinkSpec.vxlan("vx0", 1 << 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VNI");
        assertThatThrownBy(() -> LinkSpec.vxlan("vx0", 1).port(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.vxlan("vx0", 1).group("10.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a multicast address");
        assertThatThrownBy(() -> LinkSpec.vxlan("vx0", 1).remote("host.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkSpec.bridge("b0").mtu(0)).isInstanceOf(IllegalArgumentException.class);
        for (String mac :
                new String[] {"", "02:00:00:00:00", "02:00:00:00:00:0g", "0200.0000.0001", "02:00:00:00:00:001"}) {
            assertThatThrownBy(() -> LinkSpec.bridge("b0").mac(mac))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid MAC address");
        }
        assertThatThrownBy(() -> QdiscSpec.tbf(0, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdiscSpec.tbf(1, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdiscSpec.netem().loss(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdiscSpec.netem().loss(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdiscSpec.netem().delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPrefix(IpPrefix.parseAddress("10.0.0.1"), 33))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.to("10.0.0.0/8").via("fd00::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in family");
    }

    @Test
    void tbfLimitIsComputedAsTcDoes() {
        // tc qdisc add ... tbf rate 1mbit burst 4096 latency 400ms: limit = 125000 B/s * 0.4 s + 4096 B
        assertThat(((TbfQdisc) QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(400)).kind).limit())
                .isEqualTo(54_096);
    }

    @Test
    void randomNamesHaveThePrefixAndFifteenBytes() {
        for (int i = 0; i < 100; i++) {
            String name = LinkNames.random("jn");
            assertThat(name).hasSize(15).startsWith("jn").matches("jn[0-9a-f]{13}");
            assertThat(LinkNames.check(name)).isEqualTo(name);
        }
        assertThatThrownBy(() -> LinkNames.random("twelve-bytes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkSpec.veth().name()).isNull();
        assertThat(LinkSpec.of("ip6gre", null).toString()).contains("ip6gre*");
    }

    @Test
    void routesPrintAndScopeLikeIp() {
        assertThat(Route.defaultVia("10.1.0.2").toString()).isEqualTo("default via 10.1.0.2 table 254");
        assertThat(Route.to("10.1.2.3/16").destination().toString()).isEqualTo("10.1.0.0/16");
        assertThat(Route.to("192.0.2.0/24").effectiveScope()).isEqualTo(Route.SCOPE_LINK);
        assertThat(Route.to("192.0.2.0/24").via("10.0.0.1").effectiveScope()).isEqualTo(Route.SCOPE_UNIVERSE);
        assertThat(Route.defaultVia("fd00::2").destination().toString()).isEqualTo("::/0");
        assertThat(Route.to("fd00:1::/64").effectiveScope()).isEqualTo(Route.SCOPE_UNIVERSE);
    }
}
