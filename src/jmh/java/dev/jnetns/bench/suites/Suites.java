package dev.jnetns.bench.suites;

import dev.jnetns.NsFd;
import dev.jnetns.junit.TransientNetns;
import dev.jnetns.junit.Veth;
import dev.jnetns.link.VethPair;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test classes {@code JUnitBench} runs through the JUnit Platform launcher. Each pair differs only in the
 * jnetns annotations, so that the difference of their run times divided by the number of tests is what the
 * annotations cost per test. {@link #TESTS} tests per class (a {@code @ParameterizedTest}, system property
 * {@code bench.tests}, default 400).
 */
public final class Suites {
    /** How many tests each class has. */
    public static final int TESTS = Integer.getInteger("bench.tests", 400);

    static final String TEST_INDICES = "dev.jnetns.bench.suites.Suites#testIndices";

    private Suites() {}

    /**
     * The plain class and its annotated twin whose difference is the per-test figure {@code figure}: {@code
     * transientNetns} (T1), {@code vethFixture} (T2), {@code transientNetnsWith1msWork} or {@code
     * transientNetnsWith1msWait} (T3).
     */
    public static Class<?>[] pairOf(String figure) {
        return switch (figure) {
            case "transientNetns" -> new Class<?>[] {Plain.class, InNamespace.class};
            case "vethFixture" -> new Class<?>[] {Plain.class, VethFixture.class};
            case "transientNetnsWith1msWork" -> new Class<?>[] {PlainWork.class, InNamespaceWork.class};
            case "transientNetnsWith1msWait" -> new Class<?>[] {PlainWait.class, InNamespaceWait.class};
            default ->
                throw new IllegalArgumentException("figure: transientNetns, vethFixture, transientNetnsWith1msWork"
                        + " or transientNetnsWith1msWait, not " + figure);
        };
    }

    /** The arguments of every test: 0 to {@link #TESTS} - 1. */
    public static IntStream testIndices() {
        return IntStream.range(0, TESTS);
    }

    /** Busy work of about {@code micros} on the test's thread (a test's own work, not a sleep). */
    static void work(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Tests that do nothing. */
    public static class Plain {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        void test(int index) {}
    }

    /** Tests that do nothing, each in a fresh namespace. */
    public static class InNamespace {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        @TransientNetns
        void test(int index) {}
    }

    /** Tests that each do about 1 ms of their own work. */
    public static class PlainWork {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        void test(int index) {
            work(1000);
        }
    }

    /** Tests that each do about 1 ms of their own work in a fresh namespace. */
    public static class InNamespaceWork {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        @TransientNetns
        void test(int index) {
            work(1000);
        }
    }

    /** How many {@link VethFixture} tests ran at once, at most, since the last {@link #resetConcurrency()}. */
    public static int maxConcurrency() {
        return VethFixture.MAX_ACTIVE.get();
    }

    /** Starts counting {@link #maxConcurrency()} anew. */
    public static void resetConcurrency() {
        VethFixture.MAX_ACTIVE.set(0);
    }

    /** Tests that each wait about 1 ms (as for I/O), leaving the CPU to others. */
    public static class PlainWait {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        void test(int index) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Tests that each wait about 1 ms (as for I/O) in a fresh namespace. */
    public static class InNamespaceWait {
        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        @TransientNetns
        void test(int index) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The two-namespace fixture of C {@code fixture}: a namespace each, a veth across, an address on each end. */
    public static class VethFixture {
        static final AtomicInteger ACTIVE = new AtomicInteger();
        static final AtomicInteger MAX_ACTIVE = new AtomicInteger();

        @ParameterizedTest
        @MethodSource(TEST_INDICES)
        @TransientNetns
        void test(
                int index,
                @TransientNetns("peer") NsFd peer,
                @Veth(peerNetns = "peer", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth) {
            int now = ACTIVE.incrementAndGet();
            MAX_ACTIVE.accumulateAndGet(now, Math::max);
            work(50); // long enough for a parallel neighbour to overlap, short against the fixture
            ACTIVE.decrementAndGet();
        }
    }
}
