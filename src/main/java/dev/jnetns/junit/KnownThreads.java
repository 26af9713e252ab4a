package dev.jnetns.junit;

import dev.jnetns.internal.NsThreads;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Threads that libraries start on first use, so that a test starts them inside its namespace. Some end on their
 * own a while after correct use and do no network work for anyone else meanwhile: they hold the namespace only
 * until then, and are not reported. Others belong to JVM-wide pools, which run later tests' tasks from inside
 * this namespace: those are reported, with what to do.
 */
final class KnownThreads {
    /** What a thread left inside a test's namespace is. */
    enum Kind {
        /** Ends on its own after correct use and serves no one else: neither waited for nor reported. */
        ENDS_ON_ITS_OWN,
        /** A thread of a JVM-wide pool: later tests' work would run inside this namespace. */
        SHARED_POOL,
        /** Anything else: the test left it running. */
        LEFT_RUNNING
    }

    private record Rule(Pattern name, String stackClass, Kind kind, String advice) {
        boolean matches(NsThreads.Found found) {
            if (name.matcher(found.name()).matches()) {
                return true;
            }
            if (stackClass == null || found.thread() == null) {
                return false;
            }
            for (StackTraceElement frame : found.thread().getStackTrace()) {
                if (frame.getClassName().startsWith(stackClass)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String OKHTTP_ADVICE = "OkHttp runs the tasks of every client on its shared task runner;"
            + " with fast fallback (OkHttp's default) those tasks open connections, so later tests would connect from"
            + " inside this namespace. Clients built with fastFallback(false) connect on the calling thread instead"
            + " (README, Recipes: OkHttp), and then this thread only holds the namespace until it idles out (60 s)";
    private static final String COMMON_POOL_ADVICE = "the common ForkJoinPool (parallel streams,"
            + " CompletableFuture.*Async without an executor) runs later tests' tasks on it, from inside this"
            + " test's namespace. Give such work an executor of the test's own and shut it down";

    private static final List<Rule> RULES = List.of(
            // the JDK: reaps child processes; the pooled thread idles 60 s
            // (named "process reaper (pid N)" while it waits for one)
            ends("process reaper( \\(pid \\d+\\))?"),
            // a JDK HttpClient's own threads: end with close() (JDK 21+) or when the client is garbage-collected;
            // its default executor's workers idle 60 s. They serve that client alone.
            ends("HttpClient-\\d+-SelectorManager"),
            ends("HttpClient-\\d+-Worker-\\d+"),
            // HttpURLConnection's keep-alive cache: closes idle connections, then ends
            ends("Keep-Alive-Timer"),
            ends("Keep-Alive-SocketCleaner"),
            // Netty's GlobalEventExecutor: runs completion callbacks, ends after 1 s idle
            ends("globalEventExecutor-\\d+-\\d+"),
            // Okio's timeout watchdog: closes timed-out sockets (opens none), ends after 60 s idle
            ends("Okio Watchdog"),
            new Rule(
                    Pattern.compile("OkHttp TaskRunner"),
                    "okhttp3.internal.concurrent.TaskRunner",
                    Kind.SHARED_POOL,
                    OKHTTP_ADVICE),
            new Rule(
                    Pattern.compile("ForkJoinPool\\.commonPool-worker-\\d+"),
                    null,
                    Kind.SHARED_POOL,
                    COMMON_POOL_ADVICE));

    private KnownThreads() {}

    private static Rule ends(String name) {
        return new Rule(Pattern.compile(name), null, Kind.ENDS_ON_ITS_OWN, null);
    }

    static Kind kind(NsThreads.Found found) {
        for (Rule rule : RULES) {
            if (rule.matches(found)) {
                return rule.kind();
            }
        }
        return Kind.LEFT_RUNNING;
    }

    /** What to do about a {@link Kind#SHARED_POOL} thread. */
    static String advice(NsThreads.Found found) {
        for (Rule rule : RULES) {
            if (rule.kind() == Kind.SHARED_POOL && rule.matches(found)) {
                return rule.advice();
            }
        }
        return "";
    }
}
