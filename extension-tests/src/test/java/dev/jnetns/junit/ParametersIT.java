package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** NsFd parameters: the test's namespace, named further namespaces, and clear errors for misuse. */
class ParametersIT {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @TransientNetns
    static class NamedNamespaces {
        @BeforeEach
        void before(@TransientNetns("peer") NsFd peer) {
            SEEN.put("beforeEach peer", peer.ino());
        }

        @Test
        void test(
                NsFd self,
                @TransientNetns("peer") NsFd peer,
                @TransientNetns("peer") NsFd again,
                @TransientNetns("other") NsFd other) {
            SEEN.put("thread", Eye.threadIno());
            SEEN.put("self", self.ino());
            SEEN.put("peer", peer.ino());
            SEEN.put("again", again.ino());
            SEEN.put("other", other.ino());
            SEEN.put("peer open", peer.isOpen());
            SEEN.put("peerFd", peer);
        }
    }

    static class OnlyAFurtherNamespace {
        @Test
        void test(@TransientNetns("x") NsFd x) {
            SEEN.put("thread", Eye.threadIno());
            SEEN.put("threadName", Thread.currentThread().getName());
            SEEN.put("x", x.ino());
            SEEN.put("xFd", x);
        }
    }

    static class UnnamedParameterOutsideANamespace {
        @Test
        void test(@TransientNetns("peer") NsFd peer, NsFd ns) {
            SEEN.put("ran", true);
        }
    }

    @TransientNetns
    static class WrongType {
        @Test
        void test(@TransientNetns("x") String notAHandle) {
            SEEN.put("ran", true);
        }
    }

    static class NameOnAMethod {
        @Test
        @TransientNetns("oops")
        void test() {
            SEEN.put("ran", true);
        }
    }

    @TransientNetns(lo = Netns.Lo.DOWN)
    static class LoopbackDown {
        @Test
        void test() {
            SEEN.put("links", Eye.run("ip", "-j", "link", "show", "lo").output);
        }
    }

    @TransientNetns
    static class LoAcrossMethods {
        @BeforeEach
        void before(@TransientNetns(value = "peer", lo = Netns.Lo.DOWN) NsFd peer) {
            SEEN.put("before", peer.ino());
        }

        @Test
        void agrees(@TransientNetns(value = "peer", lo = Netns.Lo.DOWN) NsFd peer) {
            SEEN.put("agrees", peer.ino());
        }

        @Test
        void disagrees(@TransientNetns("peer") NsFd peer) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void oneNamespaceAskedForWithTwoLoSettingsInTwoMethodsFailsNamingBoth() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(LoAcrossMethods.class);
        Kit.assertStatistics(results, stats -> stats.succeeded(1).failed(1));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("disagrees"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("namespace \"peer\"")
                                                && m.contains("'peer' of disagrees asks for lo = UP")
                                                && m.contains("'peer' of before had it made with lo = DOWN")))));
        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(Kit.get(SEEN, "agrees")).isNotNull();
    }

    @Test
    void namedNamespacesAreFreshSharedByNameAndNotEntered() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(NamedNamespaces.class);
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.get(SEEN, "thread")).isEqualTo(Kit.get(SEEN, "self"));
        assertThat(Kit.get(SEEN, "peer"))
                .isEqualTo(Kit.get(SEEN, "again"))
                .isEqualTo(Kit.get(SEEN, "beforeEach peer"))
                .isNotEqualTo(Kit.get(SEEN, "self"))
                .isNotEqualTo(Kit.get(SEEN, "other"));
        assertThat(Kit.get(SEEN, "self")).isNotEqualTo(Kit.get(SEEN, "other")).isNotEqualTo(Eye.threadIno());
        assertThat(Kit.get(SEEN, "peer open")).isEqualTo(true);
        assertThat(((NsFd) Kit.get(SEEN, "peerFd")).isOpen())
                .as("closed after the test")
                .isFalse();
        for (String key : new String[] {"self", "peer", "other"}) {
            long ino = (Long) SEEN.get(key);
            // jnetns' background thread may hold one briefly (see Kit.fdCount): a leak stays
            assertThat(Eye.eventually(() -> Eye.fdsPointingTo(ino) == 0))
                    .as("no descriptor on %s", key)
                    .isTrue();
            assertThat(Eye.threadNamesIn(ino)).as("threads in %s", key).isEmpty();
        }
    }

    @Test
    void aFurtherNamespaceAloneDoesNotMoveTheTest() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(OnlyAFurtherNamespace.class);
        Kit.assertAllSucceeded(results, 1);
        assertThat(Kit.get(SEEN, "thread")).isEqualTo(Eye.threadIno());
        assertThat((String) Kit.get(SEEN, "threadName")).doesNotStartWith("jnetns-worker-");
        assertThat(Kit.get(SEEN, "x")).isNotEqualTo(Eye.threadIno());
        assertThat(((NsFd) Kit.get(SEEN, "xFd")).isOpen()).isFalse();
        long x = (Long) SEEN.get("x");
        assertThat(Eye.eventually(() -> Eye.fdsPointingTo(x) == 0))
                .as("no descriptor on x")
                .isTrue();
    }

    @Test
    void anUnnamedParameterOutsideANamespaceIsAClearError() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(UnnamedParameterOutsideANamespace.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("test"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.contains("'ns' of test")
                                                && m.contains(
                                                        "annotate the test method or class with @TransientNetns")))));
        assertThat(SEEN).doesNotContainKey("ran");
    }

    @Test
    void aParameterOfTheWrongTypeIsAClearError() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(WrongType.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("test"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m ->
                                                m.contains("must be of type dev.jnetns.NsFd, not java.lang.String")))));
        assertThat(SEEN).doesNotContainKey("ran");
    }

    @Test
    void aNameOnAMethodIsAConfigurationError() {
        SEEN.clear();
        EngineExecutionResults results = Kit.run(NameOnAMethod.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("test"),
                                finishedWithFailure(
                                        instanceOf(ExtensionConfigurationException.class),
                                        message(m -> m.contains("@TransientNetns(\"oops\")")
                                                && m.contains("NsFd parameters")))));
        assertThat(SEEN).doesNotContainKey("ran");
    }

    @Test
    void loopbackCanBeLeftDown() {
        SEEN.clear();
        Kit.assertStatistics(Kit.run(LoopbackDown.class), stats -> stats.succeeded(1));
        String lo = (String) Kit.get(SEEN, "links");
        assertThat(lo)
                .contains("\"ifname\":\"lo\"")
                .contains("\"operstate\":\"DOWN\"")
                .doesNotContain("\"UP\"");
    }
}
