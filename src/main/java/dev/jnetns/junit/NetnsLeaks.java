package dev.jnetns.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a test's leftovers are handled, for one test method or class (on a method it wins over its class; on a
 * class, over enclosing classes): threads and processes it left inside its namespaces, the grace they get, and
 * thread names to ignore. What is not set here comes from the configuration parameters
 * ({@link TransientNetns#LEAKED_THREADS_KEY} and its siblings).
 *
 * <pre>{@code
 * @Test
 * @TransientNetns
 * @NetnsLeaks(threads = NetnsLeaks.Verdict.WARN, ignoreThreads = "my-cache-evictor-.*")
 * void usesALibraryWithALingeringThread() { ... }
 * }</pre>
 *
 * <p>Whatever the verdict, processes still running inside are ended (with their descendants): nothing a test
 * started may keep its namespace alive after it.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface NetnsLeaks {
    /**
     * Threads the test started inside and left running.
     *
     * @return the verdict; by default {@link TransientNetns#LEAKED_THREADS_KEY}
     */
    Verdict threads() default Verdict.CONFIGURED;

    /**
     * Threads of a JVM-wide pool (the common {@code ForkJoinPool}, OkHttp's task runner) born inside the test:
     * they will run later tests' tasks from inside this namespace.
     *
     * @return the verdict; by default {@link TransientNetns#SHARED_POOL_THREADS_KEY}
     */
    Verdict sharedPoolThreads() default Verdict.CONFIGURED;

    /**
     * Processes still running inside the test's namespaces when it ends (jnetns ends them either way).
     *
     * @return the verdict; by default {@link TransientNetns#LEAKED_PROCESSES_KEY}
     */
    Verdict processes() default Verdict.CONFIGURED;

    /**
     * TCP sockets of the test's namespace still listening, or connected with the peer open, when it ends.
     *
     * @return the verdict; by default {@link TransientNetns#LEAKED_SOCKETS_KEY}
     */
    Verdict sockets() default Verdict.CONFIGURED;

    /**
     * How long, in milliseconds, threads get to end before they are reported, and processes before
     * {@code SIGKILL} (at least 1000 for those); negative: {@link TransientNetns#LEAKED_THREADS_GRACE_KEY}.
     *
     * @return the grace
     */
    long graceMillis() default -1;

    /**
     * Regular expressions; a thread whose Java name matches one in full is neither waited for nor reported.
     * Added to those of {@link TransientNetns#LEAKED_THREADS_IGNORE_KEY}.
     *
     * @return the patterns
     */
    String[] ignoreThreads() default {};

    /** What a leftover does to the test. */
    enum Verdict {
        /** As the configuration parameter says. */
        CONFIGURED,
        /** The test fails, naming what it left. */
        FAIL,
        /** A report entry and a logged warning, naming what it left; the test passes. */
        WARN
    }
}
