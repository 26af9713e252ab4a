package dev.jnetns.bench;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single operations of the programmatic API, each the counterpart of a C baseline of {@code limit.c}:
 * {@code Netns.newTransient()} + close (C {@code netns-lo}; with {@code Lo.DOWN}: C {@code netns}), an
 * {@code execute} round trip into an existing namespace, and a veth created and deleted in one namespace (C
 * {@code veth}). Namespaces made ahead are on by default; the {@code ...PreparedOff} figures run in a JVM with
 * {@code -Djnetns.prepared=0}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NamespaceBench {
    private NsFd existing;
    private Rtnl rtnl;

    @Setup(Level.Trial)
    public void setUp() {
        existing = Netns.newTransient();
        rtnl = Rtnl.open(existing);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rtnl.close();
        existing.close();
    }

    @Benchmark
    public long newTransientAndClose() {
        try (NsFd ns = Netns.newTransient()) {
            return ns.ino();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Djnetns.prepared=0")
    public long newTransientAndClosePreparedOff() {
        return newTransientAndClose();
    }

    @Benchmark
    public long newTransientLoDownAndClose() {
        try (NsFd ns = Netns.newTransient(Netns.Lo.DOWN)) {
            return ns.ino();
        }
    }

    @Benchmark
    public int executeRoundTrip() {
        return Netns.execute(existing, () -> 1);
    }

    @Benchmark
    public int vethCreateAndDelete() {
        VethPair pair = rtnl.createVeth(LinkSpec.veth("va").peer("vb"));
        rtnl.delete(pair.local());
        return pair.local().index();
    }
}
