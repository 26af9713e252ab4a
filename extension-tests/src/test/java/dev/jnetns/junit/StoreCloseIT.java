package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.testing.Eye;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JUnit store's safety net: a test's namespaces left in the store by callbacks that never finished them are
 * closed by JUnit when the test ends, also where JUnit does not close {@code AutoCloseable} store values (before
 * JUnit 5.13, or told not to): jnetns' scope is a {@code CloseableResource} too.
 */
class StoreCloseIT {
    static final Map<String, Long> SEEN = new ConcurrentHashMap<>();

    /** Puts a test scope into the store the way the extension does, and never finishes it. */
    static class LeavesAScopeInTheStore implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            NetnsScope scope = NetnsScope.fresh(context.getDisplayName(), Netns.Lo.UP);
            SEEN.put("ino", scope.ns().ino());
            TestNamespaces.putTestScope(context, scope);
        }
    }

    @ExtendWith(LeavesAScopeInTheStore.class)
    static class Fixture {
        @Test
        void test() {
            // the scope's namespace is open now; nothing in this test closes it
        }
    }

    @ParameterizedTest(name = "auto-close of AutoCloseable values: {0}")
    @ValueSource(strings = {"true", "false"})
    void theStoreClosesAScopeTheCallbacksLeft(String autoClose) {
        SEEN.clear();
        Kit.assertAllSucceeded(
                Kit.run(Fixture.class, "junit.jupiter.extensions.store.close.autocloseable.enabled=" + autoClose), 1);
        long ino = Kit.get(SEEN, "ino");
        assertThat(Eye.eventually(() -> Eye.fdsPointingTo(ino) == 0))
                .as("descriptors left on net:[%d]: %s", ino, Eye.fdList())
                .isTrue();
    }
}
