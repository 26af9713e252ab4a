package dev.jnetns.bench;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two-namespace veth fixture through the API, the work of C {@code fixture}: two fresh namespaces, a veth
 * across them (peer placed at creation), an IPv4 address on each end, both up, then everything closed. Teardown
 * is closing the namespaces (the kernel removes the links); {@link #fixtureDeletingLinks} deletes the veth with
 * {@code RTM_DELLINK} first, to show what that would cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FixtureBench {
    static int fixture(boolean deleteLinks) {
        try (NsFd a = Netns.newTransient();
                NsFd b = Netns.newTransient();
                Rtnl here = Rtnl.open(a);
                Rtnl there = Rtnl.open(b)) {
            VethPair pair = here.createVeth(LinkSpec.veth("va").peer("vb").up(), there);
            here.addAddress(pair.local(), "10.1.0.1/24", AddressOption.NO_DAD);
            there.addAddress(pair.peer(), "10.1.0.2/24", AddressOption.NO_DAD);
            if (deleteLinks) {
                here.delete(pair.local());
            }
            return pair.peer().index();
        }
    }

    @Benchmark
    public int fixture() {
        return fixture(false);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Djnetns.prepared=0")
    public int fixturePreparedOff() {
        return fixture(false);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public int fixtureDeletingLinks() {
        return fixture(true);
    }
}
