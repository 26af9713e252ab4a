package dev.jnetns.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.testing.NoFdLeaks;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failures are collected in soft assertions, both with AssertJ's own and with {@link NetnsSoftAssertions}. */
@ExtendWith(NoFdLeaks.class)
class SoftAssertionsTest {
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
    void assertJsSoftAssertionsCollectTwoLinkFailures() {
        SoftAssertions softly = new SoftAssertions();
        softly.proxy(LinkAssert.class, Link.class, f.a0)
                .in(f.a)
                .isDown()
                .hasMtu(9000)
                .hasAlias("uplink");
        List<Throwable> errors = softly.errorsCollected();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0))
                .hasMessageContaining("Expecting link \"a0\" in " + f.aName() + " to be down, but it is up");
        assertThat(errors.get(1)).hasMessageContaining("to have MTU 9000, but it has MTU 1500");
        assertThatThrownBy(softly::assertAll)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Multiple Failures (2 failures)");
    }

    @Test
    void assertJsSoftAssertionsCollectNamespaceFailures() {
        SoftAssertions softly = new SoftAssertions();
        softly.proxy(NetnsAssert.class, NsFd.class, f.b)
                .hasLink("eth0")
                .hasLink("b0")
                .hasRouteTo("0.0.0.0/0");
        assertThat(softly.errorsCollected()).hasSize(2);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("to have link \"eth0\" but it has [lo, b0]");
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("to have a route to 0.0.0.0/0 (default)");
    }

    @Test
    void netnsSoftAssertionsCollectFailuresOfBothKinds() {
        assertThatThrownBy(() -> NetnsSoftAssertions.assertSoftly(softly -> {
                    softly.assertThat(f.p0)
                            .in(f.a)
                            .as("bridge port")
                            .hasNoMaster()
                            .isUp();
                    softly.assertThat(f.a).hasLink("a0").hasOnlyLinks("lo", "a0");
                }))
                .isInstanceOf(AssertJMultipleFailuresError.class)
                .hasMessageContaining("Multiple Failures (2 failures)")
                .hasMessageContaining("[bridge port] Expecting link \"p0\" in " + f.aName()
                        + " to have no master, but it is enslaved to \"br0\"")
                .hasMessageContaining("Expecting " + f.aName() + " to have only links [lo, a0] but it has");
    }

    @Test
    void softAssertionsThatAllHoldPass() {
        NetnsSoftAssertions softly = new NetnsSoftAssertions();
        softly.assertThat(f.a0).in(f.a).isUp().hasAddress("10.1.0.1/24").hasNoMaster();
        softly.assertThat(f.b).hasOnlyLinks("lo", "b0").hasAddress("10.1.0.2/24");
        assertThat(softly.errorsCollected()).isEmpty();
        softly.assertAll();
    }

    @Test
    void aLinkInAnotherNamespaceWithoutInIsCollectedToo() {
        NetnsSoftAssertions softly = new NetnsSoftAssertions();
        softly.assertThat(f.b0).isUp();
        softly.assertThat(f.b0).in(f.b).isUp();
        assertThat(softly.errorsCollected())
                .singleElement()
                .satisfies(e -> assertThat(e).hasMessageContaining("use assertThat(link).in(ns)"));
    }
}
