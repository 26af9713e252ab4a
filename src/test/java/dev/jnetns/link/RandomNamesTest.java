package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random link names: 15 bytes whatever the prefix, drawn again when the kernel says the name is taken, and not
 * drawn again when it is a fixed name that is taken. Which names are drawn is forced through the handle's seam
 * (a seam of {@code Rtnl.open}), so that a clash is certain; {@code ip -j link} shows what the kernel has.
 */
@ExtendWith(NoFdLeaks.class)
class RandomNamesTest {

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
        assertThatThrownBy(() -> LinkNames.random("日本語abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than 4 random digits");
        // 9 bytes in 3 characters: 6 digits, not 12
        assertThat(LinkNames.random("日本語", new Draws("abcdef"))).isEqualTo("日本語abcdef");
    }

    @Test
    void theKernelTakesARandomNameWithANonAsciiPrefix() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            String name = LinkNames.random("brü");
            Link bridge = rtnl.create(LinkSpec.bridge(name));
            assertThat(bridge.name()).isEqualTo(name);
            assertThat(Ip.linkNames(ns)).containsExactly("lo", name);
        }
    }

    @Test
    void aRandomNameThatIsTakenIsDrawnAgain() {
        Draws draws = new Draws(hex('0', 13), hex('1', 13));
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns, draws)) {
            String taken = "br" + hex('0', 13);
            rtnl.create(LinkSpec.bridge(taken));
            Link made = rtnl.create(LinkSpec.bridge(null));
            assertThat(made.name()).isEqualTo("br" + hex('1', 13));
            assertThat(draws.drawn.get()).as("two names drawn").isEqualTo(26);
            // nothing half-made: the first, clashing attempt left nothing behind
            assertThat(Ip.linkNames(ns)).containsExactly("lo", taken, made.name());
            assertThat(Ip.<String>get(Ip.link(ns, taken), "linkinfo", "info_kind"))
                    .isEqualTo("bridge");
        }
    }

    @Test
    void aVethWhosePeerNameIsTakenInThePeersNamespaceIsDrawnAgain() {
        Draws draws = new Draws(hex('d', 11), hex('c', 11), hex('e', 11), hex('f', 11));
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a, draws);
                Rtnl rb = Rtnl.open(b)) {
            String taken = "veth" + hex('c', 11);
            rb.create(LinkSpec.bridge(taken));
            // local, then peer: the first peer clashes in b
            VethPair pair = ra.createVeth(LinkSpec.veth().peerNetns(b));
            assertThat(pair.local().name()).isEqualTo("veth" + hex('e', 11));
            assertThat(pair.peer().name()).isEqualTo("veth" + hex('f', 11));
            assertThat(draws.drawn.get()).as("two pairs of names drawn").isEqualTo(44);
            assertThat(Ip.linkNames(a)).containsExactly("lo", pair.local().name());
            assertThat(Ip.linkNames(b)).containsExactly("lo", taken, pair.peer().name());
        }
    }

    @Test
    void aFixedLocalNameThatIsTakenFailsAtOnceThoughThePeerNameIsRandom() {
        Draws draws = new Draws();
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns, draws)) {
            rtnl.create(LinkSpec.bridge("taken0"));
            NetnsException e =
                    catchThrowableOfType(() -> rtnl.createVeth(LinkSpec.veth("taken0")), NetnsException.class);
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.getMessage()).startsWith("RTM_NEWLINK veth \"taken0\" peer \"veth");
            assertThat(draws.drawn.get()).as("one peer name drawn, not 16").isEqualTo(11);
            assertThat(Ip.linkNames(ns)).containsExactly("lo", "taken0");
        }
    }

    @Test
    void aFixedPeerNameThatIsTakenFailsAtOnceThoughTheLocalNameIsRandom() {
        Draws draws = new Draws();
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a, draws);
                Rtnl rb = Rtnl.open(b)) {
            rb.create(LinkSpec.bridge("takenp"));
            NetnsException e = catchThrowableOfType(
                    () -> ra.createVeth(LinkSpec.veth().peer("takenp").peerNetns(b)), NetnsException.class);
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.getMessage()).contains("peer \"takenp\"");
            assertThat(draws.drawn.get()).as("one local name drawn, not 16").isEqualTo(11);
            assertThat(Ip.linkNames(a)).containsExactly("lo");
            assertThat(Ip.linkNames(b)).containsExactly("lo", "takenp");
        }
    }

    @Test
    void aCallerChosenPrefixBeginsEachRandomNameAndIsDrawnAgainOnEexist() {
        Draws draws = new Draws(hex('0', 13), hex('1', 13), hex('a', 11), hex('b', 12));
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl ra = Rtnl.open(a, draws)) {
            ra.create(LinkSpec.bridge("t-" + hex('0', 13)));
            Link bridge = ra.create(LinkSpec.bridge(null).namePrefix("t-"));
            assertThat(bridge.name()).isEqualTo("t-" + hex('1', 13));
            VethPair pair = ra.createVeth(
                    LinkSpec.veth().namePrefix("test").peerNamePrefix("pé").peerNetns(b));
            assertThat(pair.local().name()).isEqualTo("test" + hex('a', 11));
            assertThat(pair.peer().name()).isEqualTo("pé" + hex('b', 12)); // é is two bytes: 12 digits
            assertThat(LinkSpec.veth().namePrefix("x-").toString()).isEqualTo("LinkSpec[veth \"x-*\"]");
            assertThat(Ip.linkNames(a))
                    .containsExactly(
                            "lo",
                            "t-" + hex('0', 13),
                            bridge.name(),
                            pair.local().name());
            assertThat(Ip.linkNames(b)).containsExactly("lo", pair.peer().name());
        }
    }

    @Test
    void aBadPrefixIsRefusedBeforeAnySyscallNamingIt() {
        assertThatThrownBy(() -> LinkSpec.veth().namePrefix("twelve-bytes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name prefix \"twelve-bytes\" is 12 bytes long and leaves fewer than 4 random digits (at"
                        + " most 11 bytes)");
        for (String bad : new String[] {"a/b", "a:b", "a b", "tab\t", ""}) {
            assertThatThrownBy(() -> LinkSpec.bridge(null).namePrefix(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("name prefix \"" + bad + "\" is invalid: ");
            assertThatThrownBy(() -> LinkSpec.veth().peerNamePrefix(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("name prefix \"" + bad + "\"");
        }
        assertThatThrownBy(() -> LinkSpec.bridge("br0").namePrefix("t-"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("namePrefix is not applicable to a spec named \"br0\"");
        assertThatThrownBy(() -> LinkSpec.veth().peer("p0").peerNamePrefix("t-"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("peerNamePrefix is not applicable to a peer named \"p0\"");
        assertThatThrownBy(() -> LinkSpec.bridge(null).peerNamePrefix("t-"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("peerNamePrefix is not applicable to a bridge link");
    }
}
