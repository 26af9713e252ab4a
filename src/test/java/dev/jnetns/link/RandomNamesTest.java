package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** Random link names: 15 bytes whatever the prefix; {@code ip -j link} shows what the kernel has. */
class RandomNamesTest extends FdLeakCheck {

    /** Digits that spell {@code suffixes} one after the other, counting how many were drawn; then random ones. */
    private static final class Draws implements IntUnaryOperator {
        private final String planned;
        final AtomicInteger drawn = new AtomicInteger();

        Draws(String... suffixes) {
            this.planned = String.join("", suffixes);
        }

        @Override
        public int applyAsInt(int bound) {
            assertThat(bound).isEqualTo(16);
            int i = drawn.getAndIncrement();
            return i < planned.length() ? Character.digit(planned.charAt(i), 16) : (int) (Math.random() * 16);
        }
    }

    private static String hex(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    @Test
    void aNonAsciiPrefixIsCountedInBytes() {
        for (String prefix : new String[] {"ü", "brü", "€", "ab€cd", "veth", "日本語"}) {
            int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
            for (int i = 0; i < 20; i++) {
                String name = LinkNames.random(prefix);
                assertThat(name.getBytes(StandardCharsets.UTF_8)).as(name).hasSize(LinkNames.MAX_BYTES);
                assertThat(name).startsWith(prefix);
                assertThat(name.substring(prefix.length())).matches("[0-9a-f]{" + (15 - prefixBytes) + "}");
                assertThat(LinkNames.check(name)).isEqualTo(name);
            }
        }
        // 12 bytes in 6 characters leave only 3 digits
        assertThatThrownBy(() -> LinkNames.random("日本語abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than 4 random digits");
        // 9 bytes in 3 characters: 6 digits, not 12
        assertThat(LinkNames.random("日本語", new Draws("abcdef"))).isEqualTo("日本語abcdef");
    }

    @Test
    void theKernelTakesARandomNameWithANonAsciiPrefix() {
        try (NsFd ns = Netns.newTransient(); Rtnl rtnl = Rtnl.open(ns)) {
            String name = LinkNames.random("brü");
            Link bridge = rtnl.create(LinkSpec.bridge(name));
            assertThat(bridge.name()).isEqualTo(name);
            assertThat(Ip.linkNames(ns)).containsExactly("lo", name);
        }
    }
}
