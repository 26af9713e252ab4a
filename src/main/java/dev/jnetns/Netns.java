package dev.jnetns;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.FreshNetns;
import dev.jnetns.internal.PreparedNamespaces;
import dev.jnetns.internal.Stays;
import dev.jnetns.internal.Watchdog;
import dev.jnetns.internal.Worker;
import dev.jnetns.internal.WorkerPool;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.Loopback;
import dev.jnetns.internal.sys.SysException;
import dev.jnetns.internal.sys.Threads;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Creating network namespaces and running code inside them.
 *
 * <pre>{@code
 * try (NsFd ns = Netns.newTransient()) {
 *     List<String> names = Netns.execute(ns, () -> listInterfacesSomehow());
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #execute} runs its work on a jnetns worker, a platform thread that enters the
 * namespace with {@code setns}, while the caller waits; afterwards the worker goes home and is checked by inode.
 * So the caller's own thread never changes namespace, a virtual-thread caller is safe, and a worker that could
 * not go home is retired rather than reused. The work sees the caller's interrupts (they are passed on) but not
 * its thread-locals. {@link #enterTransient()} and {@link #enter(NsFd)} instead move the calling thread itself,
 * which must be a platform thread.
 *
 * <p>Every method needs {@code CAP_SYS_ADMIN} over the namespaces involved: run as root, or start the JVM in a
 * user namespace of its own with {@code unshare -Ur} or {@code unshare -Urn}. Under {@code unshare -Ur} (the host's
 * network kept) a thread that enters a namespace can never come back: the threads of {@link #execute} end
 * afterwards, and {@link #enter} and {@link #enterTransient} refuse.
 */
public final class Netns {
    /** Whether a new namespace's loopback interface is brought up. */
    public enum Lo {
        /** {@code lo} is up, so 127.0.0.1 and ::1 work at once (the default). */
        UP,
        /** {@code lo} stays down, as the kernel creates it. */
        DOWN
    }

    /**
     * System property: how many fresh namespaces a background platform thread keeps ready (default 2; 0 turns
     * it off), so that {@link #newTransient()} and {@code @TransientNetns} get one at the cost of a {@code setns}.
     * Each is handed out once, entered by nothing else, and held only by a descriptor of this JVM.
     */
    public static final String PREPARED_PROPERTY = PreparedNamespaces.PREPARED_PROPERTY;

    /** System property: how long, in milliseconds, an idle jnetns thread lives (default 2000). */
    public static final String KEEP_ALIVE_PROPERTY = WorkerPool.KEEP_ALIVE_PROPERTY;

    /**
     * System property: {@code false} turns off the watchdog that ends a killed JVM's test processes (default
     * {@code true}); see README, Pitfalls.
     */
    public static final String WATCHDOG_PROPERTY = Watchdog.WATCHDOG_PROPERTY;

    /** Where named namespaces live, as with iproute2's {@code ip netns}. */
    public static final String NAMED_DIR = "/run/netns";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NAME_ATTEMPTS = 16;

    private Netns() {}

    /**
     * A fresh network namespace with {@code lo} up, not entered: the calling thread stays where it is. The
     * namespace lives while the handle is open (or while a thread, process or socket holds it).
     *
     * <p>The handle also holds a rtnetlink socket opened inside the namespace when it was made, which the first
     * {@link dev.jnetns.link.Rtnl#open Rtnl.open} on it takes over, so that no thread has to enter the namespace
     * again for it; closing the handle closes that socket too. It also holds two descriptors of the namespace's
     * socket counters ({@code /proc/.../net/sockstat}, {@code sockstat6}) for a test's leftovers check, closed with
     * it as well. Namespaces may have been made ahead on a background thread (system property
     * {@value #PREPARED_PROPERTY}).
     *
     * @return its handle; close it to let the kernel tear the namespace down
     * @throws NetnsException if the kernel refuses, for example {@code EPERM} without {@code CAP_SYS_ADMIN}
     */
    public static NsFd newTransient() {
        return newTransient(Lo.UP);
    }

    /**
     * A fresh network namespace, not entered, with {@code lo} up or down as asked.
     *
     * @param lo whether to bring {@code lo} up
     * @return its handle
     */
    public static NsFd newTransient(Lo lo) {
        Objects.requireNonNull(lo, "lo");
        if (lo == Lo.UP) {
            FreshNetns prepared = PreparedNamespaces.shared().take();
            if (prepared != null) {
                return NsFd.adopt(prepared);
            }
        }
        WorkerPool pool = WorkerPool.shared();
        Worker worker = pool.acquire();
        try {
            // the socket counters as a prepared one has them: a test's leftovers check then sends no thread inside
            FreshNetns fresh = worker.run(() -> worker.makeFreshHere(lo == Lo.UP, true));
            return NsFd.adopt(fresh);
        } catch (SysException e) {
            throw NetnsException.from(e);
        } finally {
            pool.release(worker);
        }
    }

    /**
     * Runs {@code fn} inside {@code ns} and returns its result. {@code fn} runs on a platform thread inside the
     * namespace while the caller waits; sockets it opens belong to {@code ns} for life, and threads it starts
     * inherit {@code ns}. Afterwards that thread is moved back and checked, also when {@code fn} throws.
     * Calls nest.
     *
     * @param ns the namespace
     * @param fn the work
     * @param <T> the result type
     * @param <E> what {@code fn} may throw; it reaches the caller unchanged
     * @return what {@code fn} returned
     * @throws E what {@code fn} threw
     * @throws NetnsException if {@code ns} is closed or cannot be entered, or the thread cannot be moved back
     *     (it is then retired, never reused, and a result that is {@link AutoCloseable} is closed, since it never
     *     reaches the caller)
     */
    public static <T, E extends Throwable> T execute(NsFd ns, NsCallable<T, E> fn) throws E {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(fn, "fn");
        int fd = ns.fdFor("Netns.execute");
        WorkerPool pool = WorkerPool.shared();
        Worker worker = pool.acquire();
        try {
            return worker.runIn(fd, ns.ino(), ns.label(), fn::call);
        } catch (SysException e) { // the worker's own failure: fn's reach the caller unchanged
            throw NetnsException.from(e);
        } finally {
            pool.release(worker);
        }
    }

    /**
     * Runs {@code fn} inside {@code ns}; the void form of {@link #execute(NsFd, NsCallable)}.
     *
     * @param ns the namespace
     * @param fn the work
     * @param <E> what {@code fn} may throw; it reaches the caller unchanged
     * @throws E what {@code fn} threw
     */
    public static <E extends Throwable> void execute(NsFd ns, NsRunnable<E> fn) throws E {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(fn, "fn");
        execute(ns, (NsCallable<Void, E>) () -> {
            fn.run();
            return null;
        });
    }

    /**
     * Starts {@code process} inside {@code ns}: the child (and what it starts) runs in that network namespace, as
     * with {@code ip netns exec}, while the calling thread stays where it is. The child keeps the namespace alive
     * until it ends, and is not ended with the JVM: destroy it and wait for it. Started from a test, inside one of
     * the test's namespaces, a process still running when the test ends is ended and reported, as one the test
     * started itself would be.
     *
     * <pre>{@code
     * Process server = Netns.start(peer, new ProcessBuilder("python3", "-m", "http.server", "8099"));
     * }</pre>
     *
     * @param ns the namespace
     * @param process what to start, as {@link ProcessBuilder#start()} would
     * @return the started process
     * @throws IOException as {@link ProcessBuilder#start()} throws it
     * @throws NetnsException if {@code ns} is closed or cannot be entered
     */
    public static Process start(NsFd ns, ProcessBuilder process) throws IOException {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(process, "process");
        ns.fdFor("Netns.start");
        return Netns.<Process, IOException>execute(ns, process::start);
    }

    /**
     * Creates a fresh namespace (with {@code lo} up) and moves the <em>calling</em> thread into it. Threads it
     * starts from now on inherit the namespace. Close the result on the same thread to move back; that also
     * closes the namespace's handle.
     *
     * @return the stay, to close
     * @throws IllegalStateException if called from a virtual thread (it may hop between carrier threads), or where
     *     a thread could not come back (a JVM under {@code unshare -Ur}: use {@link #execute(NsFd, NsCallable)})
     */
    public static EnteredNetns enterTransient() {
        requirePlatformThread("enterTransient()");
        requireWayBack("Netns.enterTransient()"); // also fixes the home namespace before this thread leaves it
        NsFd original = NsFd.current();
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            original.close();
            throw NetnsException.of("unshare(CLONE_NEWNET)", e);
        }
        NsFd created = null;
        try {
            created = NsFd.current();
            Loopback.up();
            Stays.entered(created.ino());
            return new EnteredNetns(Thread.currentThread(), original, created, true);
        } catch (RuntimeException e) {
            moveBackOrFail(original, e);
            if (created != null) {
                created.close();
            }
            throw NetnsException.translated(e);
        }
    }

    /**
     * Moves the calling thread into {@code ns} until the result is closed (on the same thread). The handle
     * {@code ns} stays the caller's to close.
     *
     * @param ns the namespace
     * @return the stay, to close
     * @throws IllegalStateException if called from a virtual thread, or where a thread could not come back (a JVM
     *     under {@code unshare -Ur}: use {@link #execute(NsFd, NsCallable)})
     */
    public static EnteredNetns enter(NsFd ns) {
        Objects.requireNonNull(ns, "ns");
        int fd = ns.fdFor("Netns.enter"); // the argument first: a closed handle is said as such
        requirePlatformThread("enter()");
        requireWayBack("Netns.enter()");
        NsFd original = NsFd.current();
        try {
            LibC.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            original.close();
            throw NetnsException.of("setns(" + ns.label() + ")", e);
        }
        Stays.entered(ns.ino());
        return new EnteredNetns(Thread.currentThread(), original, ns, false);
    }

    private static void moveBackOrFail(NsFd original, RuntimeException pending) {
        try {
            LibC.setns(original.fd(), LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            pending.addSuppressed(NetnsException.of("setns(" + original.label() + ")", e));
        } finally {
            original.close();
        }
    }

    private static void requireWayBack(String what) {
        if (WorkerPool.shared().home().oneWay()) {
            throw new IllegalStateException(what + " moves the calling thread, which could never come back here: the"
                    + " JVM's network namespace belongs to a user namespace it has no CAP_SYS_ADMIN in (as under"
                    + " `unshare -Ur`), so setns back into it fails with EPERM. Use Netns.execute(ns, fn): it runs fn"
                    + " on a thread of its own, which ends afterwards.");
        }
    }

    private static void requirePlatformThread(String what) {
        if (Threads.isVirtual(Thread.currentThread())) {
            throw new IllegalStateException(what + " moves the calling thread, which must be a platform thread: a"
                    + " virtual thread may continue on another carrier thread. Use Netns.execute(ns, fn) instead.");
        }
    }

    /**
     * A persistent namespace named {@code name}, bind-mounted at {@code /run/netns/NAME} as
     * {@code ip netns add} does (the directory is made a shared mount point), so {@code ip netns list} and
     * {@code ip netns exec} see it; {@code lo} is up. It outlives the JVM until {@link #deleteNamed(String)}.
     *
     * <p>Crash-safe: a process killed half-way leaves at most an unmounted placeholder file, which the next
     * {@code newNamed} of that name takes over (and {@code deleteNamed} removes); a mounted namespace always has
     * {@code lo} up. jnetns processes serialise their changes with a lock on {@code /run/netns}; iproute2 takes
     * no lock, so an {@code ip netns add} of the same name at the same instant is not guarded against.
     *
     * @param name the name: not empty, not {@code .} or {@code ..}, no {@code /}, at most 255 bytes
     * @return a handle to it (closing the handle does not delete the namespace)
     * @throws IllegalArgumentException if the name is invalid
     * @throws NetnsException {@code EEXIST} if the name is taken (nothing is changed then)
     */
    public static NsFd newNamed(String name) {
        return NamedNetns.create(name);
    }

    /**
     * A persistent namespace with a random name {@code jnetns-XXXXXXXX}, retried on {@code EEXIST} (so that
     * parallel tests and Surefire forks do not collide); see {@link #newNamed(String)}. Open it with
     * {@link NsFd#ofName(String)} and delete it with {@link #deleteNamed(String)}.
     *
     * @return the name of the new namespace
     */
    public static String newNamed() {
        for (int attempt = 1; ; attempt++) {
            String name = String.format("jnetns-%08x", RANDOM.nextInt());
            try {
                newNamed(name).close();
                return name;
            } catch (NetnsException e) {
                if (e.errno() != Errno.EEXIST || attempt >= NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the persistent namespace {@code name}: unmounts {@code /run/netns/NAME} and removes the file. The
     * namespace itself lives on while handles, threads or processes still hold it.
     *
     * @param name the name
     * @throws NetnsException {@code ENOENT} if there is no such namespace (a placeholder a crash left is removed)
     */
    public static void deleteNamed(String name) {
        NamedNetns.delete(name);
    }
}
