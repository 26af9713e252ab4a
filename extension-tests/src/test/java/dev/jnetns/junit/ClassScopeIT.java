package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Where the annotation may sit: class-wide shared namespaces, @Nested, subclasses, meta-annotations. */
class ClassScopeIT {
    record Seen(String what, long ino, String thread) {}

    static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();

    static void seen(String what) {
        SEEN.add(new Seen(what, Eye.threadIno(), Thread.currentThread().getName()));
    }

    static List<Long> inos(String prefix) {
        return SEEN.stream()
                .filter(s -> s.what().startsWith(prefix))
                .map(Seen::ino)
                .collect(Collectors.toList());
    }

    @TransientNetns(scope = TransientNetns.Scope.CLASS)
    static class SharedByTheClass {
        static long beforeAllParameter;

        @BeforeAll
        static void beforeAll(NsFd ns) {
            beforeAllParameter = ns.ino();
            seen("beforeAll");
        }

        @Test
        void one(NsFd ns) {
            seen("test one " + ns.ino());
        }

        @Test
        void two() {
            seen("test two");
        }

        @AfterAll
        static void afterAll() {
            seen("afterAll");
        }
    }

    @Test
    void aClassWideNamespaceIsSharedByAllAndByBeforeAllAndAfterAll() {
        SEEN.clear();
        Kit.assertStatistics(
                Kit.run(SharedByTheClass.class), stats -> stats.succeeded(2).failed(0));
        List<Long> all = SEEN.stream().map(Seen::ino).distinct().collect(Collectors.toList());
        assertThat(all).hasSize(1).doesNotContain(Eye.threadIno()).containsExactly(SharedByTheClass.beforeAllParameter);
        assertThat(SEEN)
                .extracting(Seen::what)
                .contains("beforeAll", "test two", "afterAll", "test one " + SharedByTheClass.beforeAllParameter);
        assertThat(SEEN).allSatisfy(s -> assertThat(s.thread()).startsWith("jnetns-worker-"));
        assertThat(Eye.fdsPointingTo(all.get(0))).isZero();
        assertThat(Eye.threadNamesIn(all.get(0))).isEmpty();
    }

    @TransientNetns
    static class Outer {
        @Test
        void outer() {
            seen("outer");
        }

        @Nested
        class Inner {
            @Test
            void inner() {
                seen("inner");
            }
        }
    }

    @Test
    void nestedClassesInheritTheAnnotation() {
        SEEN.clear();
        Kit.assertStatistics(Kit.run(Outer.class), stats -> stats.succeeded(2).failed(0));
        assertThat(inos("outer")).hasSize(1).doesNotContain(Eye.threadIno());
        assertThat(inos("inner")).hasSize(1).doesNotContain(Eye.threadIno());
        assertThat(SEEN).allSatisfy(s -> assertThat(s.thread()).startsWith("jnetns-worker-"));
    }

    @TransientNetns
    abstract static class Base {}

    static class Sub extends Base {
        @Test
        void inherited() {
            seen("sub");
        }
    }

    @Test
    void subclassesInheritTheAnnotation() {
        SEEN.clear();
        Kit.assertStatistics(Kit.run(Sub.class), stats -> stats.succeeded(1).failed(0));
        assertThat(inos("sub")).hasSize(1).doesNotContain(Eye.threadIno());
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Test
    @TransientNetns
    @interface NetworkTest {}

    static class WithMetaAnnotation {
        @NetworkTest
        void meta() {
            seen("meta");
        }

        @Test
        void plain() {
            seen("plain");
        }
    }

    @Test
    void itWorksAsAMetaAnnotation() {
        SEEN.clear();
        Kit.assertStatistics(
                Kit.run(WithMetaAnnotation.class), stats -> stats.succeeded(2).failed(0));
        assertThat(inos("meta")).hasSize(1).doesNotContain(Eye.threadIno());
        assertThat(inos("plain")).containsExactly(Eye.threadIno());
    }
}
