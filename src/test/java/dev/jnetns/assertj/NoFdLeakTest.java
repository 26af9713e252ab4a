package dev.jnetns.assertj;

import static dev.jnetns.assertj.NetnsAssertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.link.Link;
import dev.jnetns.testing.NoFdLeaks;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checks open their rtnetlink handle and close it again, passing or failing, from any thread. */
@ExtendWith(NoFdLeaks.class)
class NoFdLeakTest {
    private static void swallow(Runnable check) {
        try {
            check.run();
            throw new IllegalStateException("expected the check to fail");
        } catch (AssertionError expected) {
            // the failing path must close its handle too
        }
    }

    @Test
    void manyChecksPassingAndFailingLeaveNoDescriptor() {
        try (Fixture f = new Fixture()) {
            Map<String, String> before = NoFdLeaks.settled();
            for (int i = 0; i < 30; i++) {
                assertThat(f.a0)
                        .in(f.a)
                        .isUp()
                        .isOperationallyUp()
                        .hasMtu(1500)
                        .hasName("a0")
                        .hasKind("veth")
                        .hasMac(f.a0.mac())
                        .hasAlias("uplink")
                        .hasAddress("10.1.0.1/24")
                        .hasNoAddress("10.1.0.9/24")
                        .hasNoMaster();
                assertThat(f.p0).in(f.a).isEnslavedTo(f.br0);
                assertThat(f.p1).in(f.a).isPromiscuous();
                assertThat(f.a)
                        .hasLink("a0")
                        .doesNotHaveLink("x0")
                        .hasRouteTo("0.0.0.0/0")
                        .hasAddress("10.1.0.1/24")
                        .link("a0")
                        .isUp();
                assertThat(f.b).hasOnlyLinks("lo", "b0");
                swallow(() -> assertThat(f.a0).in(f.a).isDown());
                swallow(() -> assertThat(f.a0).in(f.a).hasAddress("10.9.9.9/8"));
                swallow(() -> assertThat(f.p0).in(f.a).hasNoMaster());
                swallow(() -> assertThat(f.a0).in(f.a).isEnslavedTo(f.br0));
                swallow(() -> assertThat(f.a0).isUp()); // no .in(): fails before opening anything
                swallow(() -> assertThat(f.a).hasRouteTo("10.8.0.0/16"));
                swallow(() -> assertThat(f.a).link("nope0"));
                swallow(() -> assertThat(f.b).hasOnlyLinks("lo"));
                Netns.execute(f.a, () -> {
                    assertThat(f.a0).isUp();
                    swallow(() -> assertThat(f.a0).hasMtu(1));
                });
                SoftAssertions softly = new SoftAssertions();
                softly.proxy(LinkAssert.class, Link.class, f.a0)
                        .in(f.a)
                        .isDown()
                        .hasMtu(1);
            }
            Link gone = f.ra.createVeth(dev.jnetns.link.LinkSpec.veth("g0").peer("g1"))
                    .local();
            f.ra.delete(gone);
            swallow(() -> assertThat(gone).in(f.a).isUp());
            NoFdLeaks.assertSameAs(before, "30 rounds of checks");
        }
    }
}
