package dev.jnetns.junit;

import dev.jnetns.Netns;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs tests inside throwaway network namespaces.
 *
 * <p><b>On a test method</b>, the test gets a fresh network namespace (with {@code lo} up), and the test method
 * with its {@code @BeforeEach} and {@code @AfterEach} methods runs on a platform thread moved into it with
 * {@code setns}. Afterwards that thread goes home, the namespace's handle is closed, and the kernel tears it
 * down. This holds for every invocation of a {@code @ParameterizedTest} or {@code @RepeatedTest} and for the
 * dynamic tests of a {@code @TestFactory}. The test class's constructor and field initializers run before
 * the namespace exists, on JUnit's thread, outside it; so does the drawing of a lazy {@code @TestFactory}
 * stream's next element (each dynamic test's body runs inside). <b>On a class</b>, every test of the class (and of its
 * {@code @Nested} classes and subclasses) gets its own fresh namespace; with {@code scope = CLASS} they share
 * one, which {@code @BeforeAll} and {@code @AfterAll} methods also run in. It works as a meta-annotation too.
 *
 * <p><b>On a parameter of type {@link dev.jnetns.NsFd}</b>: without a name (or with no annotation) the
 * parameter receives the test's namespace; {@code @TransientNetns("peer") NsFd peer} receives a further fresh
 * namespace, not entered, named {@code peer} within the test: the same name in one test (also in its
 * {@code @BeforeEach}) is the same namespace.
 *
 * <pre>{@code
 * @Test
 * @TransientNetns
 * void onlyLoopback(NsFd self, @TransientNetns("peer") NsFd peer) throws IOException {
 *     // this thread is inside `self`; `peer` is another fresh namespace
 * }
 * }</pre>
 *
 * <p>After every test, whatever its outcome (failure, exception in {@code @BeforeEach}, {@code @Timeout},
 * interrupt), the extension closes every descriptor it opened and no thread of its own stays in the test's
 * namespaces. Threads the test started inside and left running are named in a failure (or a warning, see
 * {@link #LEAKED_THREADS_KEY}); remember that threads inherit their creator's namespace, including a
 * {@code ForkJoinPool.commonPool()} worker started lazily from a test.
 *
 * <p>JUnit's own threads never enter a namespace: the test's work runs on a jnetns worker thread, so
 * thread-locals set by other extensions' callbacks are not visible to the test method.
 *
 * <p>Creating namespaces needs {@code CAP_SYS_ADMIN}: run as root, or start the build under {@code unshare -Ur}
 * (threads that enter a test's namespace end afterwards) or {@code unshare -Urn}. Without it the test fails with a message saying so, or is skipped when
 * {@link #UNPRIVILEGED_KEY} is {@code skip}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TransientNetnsExtension.class)
public @interface TransientNetns {
    /**
     * Configuration parameter: what to do when namespaces cannot be created for lack of privilege:
     * {@code fail} (the default) or {@code skip}.
     */
    String UNPRIVILEGED_KEY = "jnetns.unprivileged";

    /**
     * Configuration parameter: what to do when a test leaves threads running inside its namespaces:
     * {@code fail} (the default) or {@code warn} (a report entry and a log warning).
     */
    String LEAKED_THREADS_KEY = "jnetns.leakedThreads";

    /**
     * Configuration parameter: how long, in milliseconds, threads a test left inside its namespace get to end
     * before they are reported (default 200). Only tests that leave threads behind wait.
     */
    String LEAKED_THREADS_GRACE_KEY = "jnetns.leakedThreads.graceMillis";

    /**
     * Configuration parameter: comma-separated regular expressions; threads whose Java name matches one in full are
     * neither waited for nor reported (default: none).
     */
    String LEAKED_THREADS_IGNORE_KEY = "jnetns.leakedThreads.ignore";

    /**
     * Configuration parameter: what to do when threads of a JVM-wide pool (the common {@code ForkJoinPool},
     * OkHttp's task runner) were born inside a test's namespace: {@code warn} (the default) or {@code fail}.
     */
    String SHARED_POOL_THREADS_KEY = "jnetns.sharedPoolThreads";

    /**
     * Configuration parameter: what to do when a test leaves processes running inside its namespaces (jnetns ends
     * them either way): {@code fail} (the default) or {@code warn}.
     */
    String LEAKED_PROCESSES_KEY = "jnetns.leakedProcesses";

    /**
     * Configuration parameter: what to do when a TCP socket of a test's namespace is still listening or connected
     * when the test ends: {@code fail} (the default) or {@code warn}.
     */
    String LEAKED_SOCKETS_KEY = "jnetns.leakedSockets";

    /**
     * Configuration parameter: whether a test (or class) that fails gets a report entry {@code jnetns.state},
     * also logged, that shows its namespaces as they were when it failed, before they were closed: links,
     * addresses, routes, qdiscs and sockets (see {@link dev.jnetns.link.NetworkState}). {@code true} (the default)
     * or {@code false}. A passing test reads nothing.
     */
    String STATE_ON_FAILURE_KEY = "jnetns.stateOnFailure";

    /**
     * Configuration parameter: whether the packets of every link of every namespace of a test ({@code lo}
     * included) are captured, from before its code runs until it ends, into a pcapng file per namespace under
     * {@link #CAPTURE_DIR_KEY}, named after the test's class and method (and the further namespace's name):
     * {@code off} (the default), {@code on-failure} (files of passing tests are not written) or {@code always}.
     * A report entry {@code jnetns.capture} gives each file's path, its packets' count and how many were dropped.
     * The capture is pure Java (an {@code AF_PACKET} socket), in memory bounded by
     * {@link #CAPTURE_SNAP_LENGTH_KEY} and {@link #CAPTURE_BUFFER_KEY}.
     */
    String CAPTURE_KEY = "jnetns.capture";

    /** Configuration parameter: the directory of capture files (default {@code target/jnetns-captures}). */
    String CAPTURE_DIR_KEY = "jnetns.capture.dir";

    /** Configuration parameter: the most bytes kept of each packet captured (default 65535, at least 64). */
    String CAPTURE_SNAP_LENGTH_KEY = "jnetns.capture.snapLength";

    /**
     * Configuration parameter: the most bytes of packets kept per namespace (default 8388608, 8 MiB); beyond it
     * the oldest are dropped, and counted.
     */
    String CAPTURE_BUFFER_KEY = "jnetns.capture.bufferBytes";

    /**
     * Configuration parameter: where tests without jnetns annotations run: {@code none} (the default: where JUnit
     * runs them), {@code test} (each test in a fresh namespace of its own, as with {@code @TransientNetns} on its
     * class) or {@code class} (the tests of each class in one namespace, as with {@code scope = CLASS}). It needs
     * JUnit's extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}), which
     * registers this extension for every test. Annotations win where present; {@link HostNetns} opts a test out.
     */
    String ISOLATION_KEY = "jnetns.isolation";

    /**
     * On a parameter, the name of a further namespace for the test (not entered). Empty (the default) means the
     * test's own namespace; not allowed on methods and classes.
     *
     * @return the name
     */
    String value() default "";

    /**
     * Whether {@code lo} is up in the new namespace.
     *
     * @return {@link Netns.Lo#UP} by default
     */
    Netns.Lo lo() default Netns.Lo.UP;

    /**
     * On a class: one namespace per test (the default) or one for the whole class.
     *
     * @return the scope
     */
    Scope scope() default Scope.TEST;

    /**
     * On a method or class: whether the test's packets are captured, overriding {@link #CAPTURE_KEY} (the nearest
     * declaration that says something wins: the method's, then its class's, then enclosing classes').
     *
     * @return {@link Capture#CONFIGURED} by default
     */
    Capture capture() default Capture.CONFIGURED;

    /** Whether a test's packets are captured, see {@link #CAPTURE_KEY}. */
    enum Capture {
        /** As the configuration parameter says (by default off). */
        CONFIGURED,
        /** Nothing is captured; nothing is paid. */
        OFF,
        /** Captured; written to a file only when the test fails. */
        ON_FAILURE,
        /** Captured and written to a file for every test. */
        ALWAYS
    }

    /** How long a namespace declared on a class lives. */
    enum Scope {
        /** Every test gets its own fresh namespace. */
        TEST,
        /**
         * The tests of the class share one namespace, created before {@code @BeforeAll} and closed after
         * {@code @AfterAll}, which run inside it; each test still runs on its own thread inside it.
         */
        CLASS
    }
}
