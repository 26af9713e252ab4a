package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.NsProcesses;
import dev.jnetns.internal.NsSockets;
import dev.jnetns.internal.NsThreads;
import dev.jnetns.internal.Spares;
import dev.jnetns.internal.Stays;
import dev.jnetns.internal.Watchdog;
import dev.jnetns.internal.Worker;
import dev.jnetns.internal.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The namespaces of one test (or of one class): the namespace its code runs in, the worker thread entered into
 * it, and further named namespaces. Closing it brings the worker home, looks for threads left inside, and
 * closes every handle. Kept in the JUnit store, which closes it if the extension's callbacks could not: as a
 * {@code CloseableResource}, which every JUnit 5 and 6 closes (JUnit 5.13 and later also close an
 * {@code AutoCloseable}, but not older ones, nor newer ones told not to).
 */
// CloseableResource: deprecated since JUnit 5.13 for AutoCloseable, which older JUnit does not close
@SuppressWarnings("deprecation")
final class NetnsScope implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** How many of a reported thread's top stack frames its report shows. */
    private static final int STACK_FRAMES = 3;

    private final String owner;
    private final NsFd ns;
    private final boolean ownsNs;
    private final Worker worker;
    private final Map<String, Extra> extras = new LinkedHashMap<>();

    /**
     * A further namespace: its handle, how {@code lo} was made, the parameter that made it, and the view of its
     * socket counters made with it (or null).
     */
    private record Extra(NsFd ns, Netns.Lo lo, String by, NsSockets sockets) {}

    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final long threadsStartedBefore = THREADS.getTotalStartedThreadCount();
    /** The last task id handed out when the scope began: processes started since have later ones. */
    private final long taskMark = NsProcesses.recentMark();

    private boolean closed;
    /**
     * The view of the TCP sockets of the scope's own namespace: made with it, or else opened by the first code
     * run inside.
     */
    private NsSockets sockets;
    /** Whether the last look inside found threads that end on their own. */
    private boolean lingering;
    /** Whether the state of the namespaces was shown for a failure. */
    private boolean stateShown;
    /** The packet captures of the scope's namespaces, or null when there are none. */
    private TestCaptures captures;

    private NetnsScope(String owner, NsFd ns, boolean ownsNs, Worker worker) {
        this.owner = owner;
        this.ns = ns;
        this.ownsNs = ownsNs;
        this.worker = worker;
        if (ownsNs && ns != null) {
            sockets = Spares.SOCKET_VIEWS.take(ns.fd());
            Watchdog.watch(ns.fd(), ns.ino());
        }
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
        Worker.Task<T> watched = ownsNs ? () -> viewSocketsHere(task) : task;
        if (worker != null) {
            return worker.runIn(ns.fd(), ns.ino(), ns.toString(), watched);
        }
        if (ns != null) {
            WorkerPool pool = WorkerPool.shared();
            Worker shortLived = pool.acquire();
            try {
                return shortLived.runIn(ns.fd(), ns.ino(), ns.toString(), watched);
            } finally {
                pool.release(shortLived);
            }
        }
        return task.run();
    }

    /**
     * Runs {@code task} inside the namespace, first opening the view of its sockets there if not yet open, and
     * letting the view note afterwards, still inside, whether the code left sockets to tell apart at the end.
     */
    private <T> T viewSocketsHere(Worker.Task<T> task) throws Throwable {
        NsSockets view;
        synchronized (this) {
            if (sockets == null && !closed) {
                sockets = NsSockets.openHere();
            }
            view = sockets;
        }
        int own = view != null ? ownSockets(ns) : 0; // before the test's code, which might close the handle
        try {
            return task.run();
        } finally {
            if (view != null) {
                view.noteHere(own);
            }
        }
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
            NsFd created = create.apply(made);
            had = new Extra(created, made, by, Spares.SOCKET_VIEWS.take(created.fd()));
            extras.put(name, had);
            Watchdog.watch(had.ns().fd(), had.ns().ino());
            if (captures != null) {
                captures.start(name, extraLabel(name), had.ns());
            }
        } else if (lo != null && lo != had.lo()) {
            throw new ParameterResolutionException("namespace \"" + name + "\" of " + owner + ": " + by
                    + " asks for lo = " + lo + ", but " + had.by() + " had it made with lo = " + had.lo()
                    + "; one namespace has one lo: give them the same setting");
        }
        return had.ns();
    }

    /**
     * The scope's namespaces, each under the label a state report gives it: the one its code runs in, then the
     * further ones by name; empty once closed.
     */
    synchronized Map<String, NsFd> namespaces() {
        Map<String, NsFd> all = new LinkedHashMap<>();
        if (closed) {
            return all;
        }
        if (ns != null) {
            all.put(ownLabel(), ns);
        }
        extras.forEach((name, extra) -> all.put(extraLabel(name), extra.ns()));
        return all;
    }

    /**
     * Captures the packets of the scope's namespaces, those it has and those made later, if {@code settings} say
     * so; files are named starting with {@code fileBase}.
     */
    synchronized void capture(CaptureSettings settings, String fileBase) {
        if (!settings.isOn() || closed) {
            return;
        }
        captures = new TestCaptures(settings, fileBase);
        if (ns != null) {
            captures.start("", ownLabel(), ns);
        }
        extras.forEach((name, extra) -> captures.start(name, extraLabel(name), extra.ns()));
    }

    /** The captures, stopped once the scope is closed; null when there are none. */
    synchronized TestCaptures captures() {
        return captures;
    }

    /** Notes that the state is shown; false if it was shown before. */
    synchronized boolean markStateShown() {
        boolean first = !stateShown;
        stateShown = true;
        return first;
    }

    private String ownLabel() {
        return ownsNs ? "the namespace of " + owner : "the class's namespace, which " + owner + " runs in";
    }

    private static String extraLabel(String name) {
        return "namespace \"" + name + "\"";
    }

    /** What the test left behind that fails it, as text; filled by {@link #close(LeakPolicy)}. */
    List<String> failures() {
        return failures;
    }

    /** What the test left behind that is only worth a warning, as text; filled by {@link #close(LeakPolicy)}. */
    List<String> warnings() {
        return warnings;
    }

    /** Closes the scope with the suite's defaults (the JUnit store does, when the extension could not). */
    @Override
    public void close() {
        close(new LeakPolicy(true, false, true, true, 0, List.of()));
    }

    /**
     * Ends the scope: gives the worker back (interrupting and abandoning it if the test still runs on it after the
     * grace), ends processes left in the namespaces it owns and reports them, reports threads left there, and
     * closes every handle. Idempotent.
     */
    synchronized void close(LeakPolicy policy) {
        if (closed) {
            return;
        }
        closed = true;
        List<NsFd> owned = new ArrayList<>();
        if (ownsNs && ns != null) {
            owned.add(ns);
        }
        extras.values().forEach(e -> owned.add(e.ns()));
        try {
            if (captures != null) {
                captures.stop(); // the capture ends with the test's code, before anything is torn down
            }
            releaseWorker(policy.graceMillis());
            // processes first: ending them may end the threads that waited for them
            if (NsProcesses.startedSince(taskMark)) {
                for (NsFd each : owned) {
                    endProcesses(each, policy);
                }
            }
            // the scope's own worker: still busy (a test that timed out), or, where threads never return home,
            // ending now that it was released
            Set<Integer> ours = worker != null ? Set.of(worker.tid()) : Set.of();
            // Only threads started since the scope began, or older ones moved in with Netns.enter, can be inside
            // its fresh namespaces (jnetns' workers went home): when there are none, there is nothing to look for.
            boolean threadsStarted = THREADS.getTotalStartedThreadCount() != threadsStartedBefore
                    || (Stays.any() && Stays.anyIn(owned.stream().map(NsFd::ino).toList()));
            for (NsFd each : threadsStarted || (worker != null && worker.isBusy()) ? owned : List.<NsFd>of()) {
                reportThreads(each, ours, policy);
            }
            if (sockets != null && sockets.mayHoldTcp(ownSockets(ns))) { // the counters spare the common case a trip
                reportSockets(ns, Netns.execute(ns, NsSockets::listHereIfAny), policy);
            }
            for (Extra each : extras.values()) {
                reportSockets(each.ns(), openSockets(each), policy);
            }
        } finally {
            if (sockets != null) {
                sockets.close();
            }
            extras.values().stream()
                    .map(Extra::sockets)
                    .filter(Objects::nonNull)
                    .forEach(NsSockets::close);
            owned.forEach(NsFd::close); // which lets the watchdog release them
        }
    }

    /** The open sockets of a further namespace: looked for inside unless its counters (if any) show none. */
    private static List<String> openSockets(Extra extra) {
        return extra.sockets() == null || extra.sockets().mayHoldTcp(ownSockets(extra.ns()))
                ? Netns.execute(extra.ns(), NsSockets::listHereIfAny)
                : List.of();
    }

    /** How many sockets jnetns itself keeps in {@code ns}: its spare rtnetlink socket, lent or not, until it closes. */
    private static int ownSockets(NsFd ns) {
        return Spares.RTNL_SOCKETS.holds(ns.fd()) ? 1 : 0;
    }

    private void endProcesses(NsFd each, LeakPolicy policy) {
        List<ProcessHandle> left = NsProcesses.in(each.ino(), taskMark);
        if (left.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (ProcessHandle p : left) {
            text.append(text.length() == 0 ? "" : ", ")
                    .append(p.pid())
                    .append(" (")
                    .append(NsProcesses.commandLine(p))
                    .append(')');
        }
        NsProcesses.terminate(left, policy.processGraceMillis());
        leftover(
                policy.failProcesses(),
                TransientNetns.LEAKED_PROCESSES_KEY,
                (left.size() == 1 ? "process " : "processes ") + text + " of " + owner + " still running inside "
                        + name(each) + " when it ended: jnetns ended " + (left.size() == 1 ? "it" : "them")
                        + " with descendants (SIGTERM, then SIGKILL after " + policy.processGraceMillis()
                        + " ms). A process keeps its namespace alive, and outlives the JVM: destroy the processes a"
                        + " test starts and wait for them (Process.destroy(), waitFor()) before it ends");
    }

    /** Files a leftover as a failure or a warning; a failure names the setting that makes it a warning. */
    private void leftover(boolean fail, String key, String text) {
        if (fail) {
            failures.add(text + ", or set " + key + "=warn (or @NetnsLeaks).");
        } else {
            warnings.add(text + ".");
        }
    }

    private void reportThreads(NsFd each, Set<Integer> except, LeakPolicy policy) {
        List<NsThreads.Found> left = leftInside(each.ino(), except, policy);
        if (lingering) {
            LingeringNamespaces.heldAfterTest(each.ino());
        }
        List<NsThreads.Found> running = new ArrayList<>();
        for (NsThreads.Found found : left) {
            if (KnownThreads.kind(found) == KnownThreads.Kind.SHARED_POOL) {
                leftover(
                        policy.failSharedPoolThreads(),
                        TransientNetns.SHARED_POOL_THREADS_KEY,
                        "thread " + describe(found) + " of a JVM-wide pool was started inside " + name(each) + " by "
                                + owner + " and stays there: " + KnownThreads.advice(found));
            } else {
                running.add(found);
            }
        }
        if (!running.isEmpty()) {
            leftover(
                    policy.failThreads(),
                    TransientNetns.LEAKED_THREADS_KEY,
                    running.size() + (running.size() == 1 ? " thread" : " threads") + " of " + owner
                            + " still running inside " + name(each) + ": " + join(running)
                            + ". Threads inherit the namespace of the thread that starts them: stop them (join"
                            + " them, shut executors down) before the test ends");
        }
    }

    private void reportSockets(NsFd each, List<String> open, LeakPolicy policy) {
        if (open.isEmpty()) {
            return;
        }
        leftover(
                policy.failSockets(),
                TransientNetns.LEAKED_SOCKETS_KEY,
                (open.size() == 1 ? "a socket" : open.size() + " sockets") + " of " + owner + " still open in "
                        + name(each) + ": " + String.join("; ", open) + ". A socket keeps its namespace alive, and a"
                        + " connection kept by a client shared between tests carries a later test's requests to this"
                        + " test's server: close the servers and clients a test opens, and make clients per test");
    }

    private void releaseWorker(long graceMillis) {
        if (worker == null) {
            return;
        }
        if (worker.isBusy() && !worker.interruptAndAwaitIdle(Math.max(graceMillis, 100))) {
            worker.abandon();
            failures.add("the thread " + worker.thread().getName() + " was still running " + owner
                    + " after it ended (timed out?); it was interrupted, and it will end when the test code returns");
            return;
        }
        // each task brought it home (or retired it, and that task failed saying so)
        WorkerPool.shared().release(worker);
    }

    /**
     * The threads in namespace {@code ino} that are worth reporting, once they had the grace to end: threads that
     * end on their own later, and ignored ones, are neither waited for nor reported.
     */
    private List<NsThreads.Found> leftInside(long ino, Set<Integer> except, LeakPolicy policy) {
        lingering = false;
        List<NsThreads.Found> left = reportable(NsThreads.in(ino, except), policy);
        long deadline = System.nanoTime() + policy.graceMillis() * 1_000_000L;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = reportable(NsThreads.in(ino, except), policy);
        }
        return left;
    }

    /** The threads of {@code found} worth reporting; notes whether some end on their own ({@link #lingering}). */
    private List<NsThreads.Found> reportable(List<NsThreads.Found> found, LeakPolicy policy) {
        List<NsThreads.Found> reportable = new ArrayList<>(found.size());
        for (NsThreads.Found each : found) {
            if (KnownThreads.kind(each) == KnownThreads.Kind.ENDS_ON_ITS_OWN) {
                lingering = true;
            } else if (!policy.ignores(each.name())) {
                reportable.add(each);
            }
        }
        return reportable;
    }

    /** A thread as reports name it: its Java name and id, its tid, and where it is now. */
    private static String describe(NsThreads.Found found) {
        StringBuilder text = new StringBuilder(found.toString());
        StackTraceElement[] stack = found.thread() != null ? found.thread().getStackTrace() : new StackTraceElement[0];
        for (int i = 0; i < Math.min(STACK_FRAMES, stack.length); i++) {
            text.append(i == 0 ? " at " : " < ").append(stack[i]);
        }
        return text.toString();
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
            text.append(text.length() == 0 ? "" : "; ").append(describe(each));
        }
        return text.toString();
    }

    static NsFd create(Netns.Lo lo) {
        return Netns.newTransient(lo);
    }
}
