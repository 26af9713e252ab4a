package dev.jnetns.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How one test's (or class's) leftovers are handled: the suite-wide configuration, refined by the nearest
 * {@link NetnsLeaks}.
 *
 * @param failThreads threads left running fail the test (else: a warning)
 * @param failSharedPoolThreads threads of JVM-wide pools born inside fail the test (else: a warning)
 * @param failProcesses processes left running fail the test (else: a warning; they are ended either way)
 * @param failSockets TCP sockets left listening or connected fail the test (else: a warning)
 * @param graceMillis how long threads get to end before they are reported
 * @param ignoredThreads Java names (full matches) neither waited for nor reported
 */
record LeakPolicy(
        boolean failThreads,
        boolean failSharedPoolThreads,
        boolean failProcesses,
        boolean failSockets,
        long graceMillis,
        List<Pattern> ignoredThreads) {
    /** The least a process gets between {@code SIGTERM} and {@code SIGKILL}. */
    static final long PROCESS_GRACE_MILLIS = 1000;

    /** The policy for {@code context}'s test (or class, outside a test). */
    static LeakPolicy of(ExtensionContext context) {
        LeakPolicy policy = JnetnsConfiguration.of(context).leaks();
        // outermost first, so that the nearest annotation has the last word
        List<AnnotatedElement> where = new ArrayList<>();
        Optional<Method> method = context.getTestMethod();
        method.ifPresent(where::add);
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = enclosing(c)) {
            where.add(c);
        }
        for (int i = where.size() - 1; i >= 0; i--) {
            Optional<NetnsLeaks> leaks = Declared.annotation(where.get(i), NetnsLeaks.class);
            if (leaks.isPresent()) {
                policy = policy.refinedBy(leaks.get(), where.get(i));
            }
        }
        return policy;
    }

    private static Class<?> enclosing(Class<?> c) {
        return Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass();
    }

    private LeakPolicy refinedBy(NetnsLeaks leaks, AnnotatedElement where) {
        List<Pattern> ignored = new ArrayList<>(ignoredThreads);
        for (String regex : leaks.ignoreThreads()) {
            ignored.add(JnetnsConfiguration.compile(regex, "@NetnsLeaks(ignoreThreads) on " + where));
        }
        return new LeakPolicy(
                decide(leaks.threads(), failThreads),
                decide(leaks.sharedPoolThreads(), failSharedPoolThreads),
                decide(leaks.processes(), failProcesses),
                decide(leaks.sockets(), failSockets),
                leaks.graceMillis() >= 0 ? leaks.graceMillis() : graceMillis,
                List.copyOf(ignored));
    }

    private static boolean decide(NetnsLeaks.Verdict verdict, boolean configured) {
        return verdict == NetnsLeaks.Verdict.CONFIGURED ? configured : verdict == NetnsLeaks.Verdict.FAIL;
    }

    /** Whether a thread named {@code name} is to be neither waited for nor reported. */
    boolean ignores(String name) {
        for (Pattern p : ignoredThreads) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** How long processes get between {@code SIGTERM} and {@code SIGKILL}. */
    long processGraceMillis() {
        return Math.max(graceMillis, PROCESS_GRACE_MILLIS);
    }
}
