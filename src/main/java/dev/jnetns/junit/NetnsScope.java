package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.NsThreads;
import dev.jnetns.internal.Stays;
import dev.jnetns.internal.Worker;
import dev.jnetns.internal.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The namespaces of one test (or of one class): the namespace its code runs in, the worker thread entered into
 * it, and further named namespaces. Closing it brings the worker home, looks for threads left inside, and
 * closes every handle. Kept in the JUnit store, which closes it if the extension's callbacks could not.
 */
final class NetnsScope implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final String owner;
    private final NsFd ns;
    private final boolean ownsNs;
    private final Worker worker;
    private final Map<String, Extra> extras = new LinkedHashMap<>();

    /** A further namespace: its handle, how {@code lo} was made, and the parameter that made it. */
    private record Extra(NsFd ns, Netns.Lo lo, String by) {}

    private final List<String> leaks = new ArrayList<>();
    private final long threadsStartedBefore = THREADS.getTotalStartedThreadCount();
    private boolean closed;

    private NetnsScope(String owner, NsFd ns, boolean ownsNs, Worker worker) {
        this.owner = owner;
        this.ns = ns;
        this.ownsNs = ownsNs;
        this.worker = worker;
    }

    /**
     * A scope whose code runs on one worker thread of its own, inside {@code ns}; {@code ownsNs}: close it at the
     * end. The worker enters the namespace for each piece of code and comes back home after it, in the same
     * hand-over, so that it is never left inside between them.
     */
    static NetnsScope entered(String owner, NsFd ns, boolean ownsNs) {
        return new NetnsScope(owner, ns, ownsNs, WorkerPool.shared().acquire());
    }

    /** As {@link #entered}, with a fresh namespace (a prepared one when ready), which the scope owns. */
    static NetnsScope fresh(String owner, Netns.Lo lo) {
        NsFd ns = Netns.newTransient(lo);
        try {
            return entered(owner, ns, true);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** A scope that only holds a namespace, for class-wide code run on short-lived workers. */
    static NetnsScope holding(String owner, NsFd ns) {
        return new NetnsScope(owner, ns, true, null);
    }

    /** A scope without a namespace of its own: only named namespaces for parameters. */
    static NetnsScope detached(String owner) {
        return new NetnsScope(owner, null, false, null);
    }

    NsFd ns() {
        return ns;
    }

    boolean runsInside() {
        return worker != null;
    }

    /** Runs {@code task} on the scope's worker, inside its namespace. */
    <T> T run(Worker.Task<T> task) throws Throwable {
        if (worker != null) {
            return worker.runIn(ns.fd(), ns.ino(), ns.toString(), task);
        }
        if (ns != null) {
            WorkerPool pool = WorkerPool.shared();
            Worker shortLived = pool.acquire();
            try {
                return shortLived.runIn(ns.fd(), ns.ino(), ns.toString(), task);
            } finally {
                pool.release(shortLived);
            }
        }
        return task.run();
    }

    /**
     * The further namespace {@code name}, created on first use with {@code lo} (up if null); {@code by} names
     * the parameter that asks. One that asks for another {@code lo} than the namespace was made with fails,
     * naming both; null asks for nothing.
     */
    synchronized NsFd extra(String name, Netns.Lo lo, String by, Function<Netns.Lo, NsFd> create) {
        if (closed) {
            throw new IllegalStateException("the namespaces of " + owner + " are closed");
        }
        Extra had = extras.get(name);
        if (had == null) {
            Netns.Lo made = lo == null ? Netns.Lo.UP : lo;
            had = new Extra(create.apply(made), made, by);
            extras.put(name, had);
        } else if (lo != null && lo != had.lo()) {
            throw new ParameterResolutionException("namespace \"" + name + "\" of " + owner + ": " + by
                    + " asks for lo = " + lo + ", but " + had.by() + " had it made with lo = " + had.lo()
                    + "; one namespace has one lo: give them the same setting");
        }
        return had.ns();
    }

    /** Threads found left inside the namespaces, as text; filled by {@link #close(long)}. */
    List<String> leaks() {
        return leaks;
    }

    @Override
    public void close() {
        close(0);
    }

    /**
     * Ends the scope: gives the worker back (interrupting and abandoning it if the test still runs on it after
     * {@code graceMillis}), reports threads left in the namespaces it owns, and closes every handle. Idempotent.
     */
    synchronized void close(long graceMillis) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            releaseWorker(graceMillis);
            List<NsFd> owned =
                    new ArrayList<>(extras.values().stream().map(Extra::ns).toList());
            if (ownsNs && ns != null) {
                owned.add(0, ns);
            }
            Set<Integer> ours = worker != null && worker.isBusy() ? Set.of(worker.tid()) : Set.of();
            // Only threads started since the scope began, or older ones moved in with Netns.enter, can be inside
            // its fresh namespaces (jnetns' workers went home): when there are none, there is nothing to look for.
            boolean threadsStarted = THREADS.getTotalStartedThreadCount() != threadsStartedBefore
                    || Stays.anyIn(owned.stream().map(NsFd::ino).toList());
            for (NsFd each : threadsStarted || !ours.isEmpty() ? owned : List.<NsFd>of()) {
                List<NsThreads.Found> left = leftInside(each.ino(), ours, graceMillis);
                if (!left.isEmpty()) {
                    leaks.add(left.size() + (left.size() == 1 ? " thread" : " threads") + " of " + owner
                            + " still running inside " + name(each) + ": " + join(left));
                }
            }
        } finally {
            if (ownsNs && ns != null) {
                ns.close();
            }
            extras.values().forEach(e -> e.ns().close());
        }
    }

    private void releaseWorker(long graceMillis) {
        if (worker == null) {
            return;
        }
        if (worker.isBusy() && !worker.interruptAndAwaitIdle(Math.max(graceMillis, 100))) {
            worker.abandon();
            leaks.add("the thread " + worker.thread().getName() + " was still running " + owner
                    + " after it ended (timed out?); it was interrupted, and it will end when the test code returns");
            return;
        }
        // each task brought it home (or retired it, and that task failed saying so)
        WorkerPool.shared().release(worker);
    }

    private static List<NsThreads.Found> leftInside(long ino, Set<Integer> except, long graceMillis) {
        List<NsThreads.Found> left = NsThreads.in(ino, except);
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = NsThreads.in(ino, except);
        }
        return left;
    }

    @SuppressWarnings("ReferenceEquality") // the very handle this scope holds, not an equal one
    private String name(NsFd each) {
        for (Map.Entry<String, Extra> e : extras.entrySet()) {
            if (e.getValue().ns() == each) {
                return "namespace \"" + e.getKey() + "\" net:[" + each.ino() + "]";
            }
        }
        return "its namespace net:[" + each.ino() + "]";
    }

    private static String join(List<NsThreads.Found> found) {
        StringBuilder text = new StringBuilder();
        for (NsThreads.Found each : found) {
            text.append(text.length() == 0 ? "" : ", ").append(each);
        }
        return text.toString();
    }

    static NsFd create(Netns.Lo lo) {
        return Netns.newTransient(lo);
    }
}
