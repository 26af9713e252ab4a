package dev.jnetns.link;

import java.time.Duration;
import java.util.Objects;

/**
 * A root queueing discipline for {@link Rtnl#addQdisc(Link, QdiscSpec)} and
 * {@link Rtnl#replaceQdisc(Link, QdiscSpec)}: a token bucket filter ({@link #tbf}), netem ({@link #netem()}) or
 * a hierarchy token bucket ({@link #htb}).
 * Immutable; the {@code netem} settings return new instances.
 */
public final class QdiscSpec {
    final QdiscKind kind;

    private QdiscSpec(QdiscKind kind) {
        this.kind = kind;
    }

    /**
     * A token bucket filter: at most {@code rateBytesPerSecond}, bursts of {@code burstBytes}, and packets
     * dropped after waiting {@code latency}. As {@code tc qdisc add ... tbf rate R burst B latency L}: the
     * queue limit is {@code rate * latency + burst} bytes.
     *
     * @param rateBytesPerSecond the rate in bytes per second (tc's {@code 1mbit} is 125000)
     * @param burstBytes the bucket size in bytes (should be at least the MTU)
     * @param latency how long a packet may wait
     */
    public static QdiscSpec tbf(long rateBytesPerSecond, long burstBytes, Duration latency) {
        if (rateBytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + rateBytesPerSecond);
        }
        if (burstBytes <= 0 || burstBytes > 0xffffffffL) {
            throw new IllegalArgumentException("burst must be 1 to 2^32-1 bytes, was " + burstBytes);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        TbfQdisc tbf = new TbfQdisc(rateBytesPerSecond, burstBytes, latency);
        // the kernel keeps the burst as a time (what the rate sends it in), and reports it in 32 bits of 64 ns ticks:
        // a longer one would read back as garbage, in jnetns as in `tc`
        if (tbf.burstTicks() > 0xffffffffL) {
            throw new IllegalArgumentException("burst " + burstBytes + " bytes at " + rateBytesPerSecond
                    + " bytes/s lasts "
                    + burstBytes / rateBytesPerSecond + " s; the kernel reports at most 2^32 ticks of 64 ns (274 s) of"
                    + " burst: give a smaller burst or a higher rate");
        }
        if (tbf.unclampedLimit() > 0xffffffffL) {
            throw new IllegalArgumentException("latency " + latency + " at " + rateBytesPerSecond + " bytes/s makes a"
                    + " queue limit (rate * latency + burst) of " + tbf.unclampedLimit() + " bytes; the kernel allows"
                    + " at most 2^32-1: give a shorter latency");
        }
        return new QdiscSpec(tbf);
    }

    /**
     * A hierarchy token bucket ({@code htb}) root, as {@code tc qdisc add ... root htb default DEFAULT}: traffic
     * that no filter classifies goes to class {@code defaultClass}; jnetns makes no classes, so with none of the
     * caller's htb sends such traffic on unshaped.
     *
     * @param defaultClass the minor number of the default class ({@code 0x10} for tc's {@code default 10})
     * @return the spec
     * @throws IllegalArgumentException if {@code defaultClass} is outside 0 to 0xffff
     */
    public static QdiscSpec htb(int defaultClass) {
        if (defaultClass < 0 || defaultClass > 0xffff) {
            throw new IllegalArgumentException("default class must be 0 to 0xffff, was " + defaultClass);
        }
        return new QdiscSpec(new HtbQdisc(defaultClass));
    }

    /** A netem qdisc without delay or loss yet (limit 1000 packets, as tc). Needs the kernel's netem module. */
    public static QdiscSpec netem() {
        return new QdiscSpec(new NetemQdisc(Duration.ZERO, Duration.ZERO, 0, 1000, 0));
    }

    private NetemQdisc netemKind(String setting) {
        if (!(kind instanceof NetemQdisc netem)) {
            throw new IllegalStateException(setting + " is not applicable to " + kind.name());
        }
        return netem;
    }

    /** This netem with a fixed delay. */
    public QdiscSpec delay(Duration delay) {
        NetemQdisc netem = netemKind("delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new QdiscSpec(
                new NetemQdisc(delay, netem.jitter, netem.lossPercent, netem.limit, netem.rateBytesPerSecond));
    }

    /** This netem with a random variation of the delay. */
    public QdiscSpec jitter(Duration jitter) {
        NetemQdisc netem = netemKind("jitter");
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative");
        }
        return new QdiscSpec(
                new NetemQdisc(netem.delay, jitter, netem.lossPercent, netem.limit, netem.rateBytesPerSecond));
    }

    /** This netem dropping {@code percent} (0-100) of packets at random. */
    public QdiscSpec loss(double percent) {
        NetemQdisc netem = netemKind("loss");
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("loss must be 0 to 100 percent, was " + percent);
        }
        return new QdiscSpec(new NetemQdisc(netem.delay, netem.jitter, percent, netem.limit, netem.rateBytesPerSecond));
    }

    /**
     * This netem sending at most {@code bytesPerSecond} (tc's {@code rate}; {@code 1mbit} is 125000).
     *
     * @param bytesPerSecond the rate, positive
     * @return the spec
     */
    public QdiscSpec rate(long bytesPerSecond) {
        NetemQdisc netem = netemKind("rate");
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + bytesPerSecond);
        }
        return new QdiscSpec(new NetemQdisc(netem.delay, netem.jitter, netem.lossPercent, netem.limit, bytesPerSecond));
    }

    /** This netem with a queue limit in packets. */
    public QdiscSpec limit(int packets) {
        NetemQdisc netem = netemKind("limit");
        if (packets <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return new QdiscSpec(
                new NetemQdisc(netem.delay, netem.jitter, netem.lossPercent, packets, netem.rateBytesPerSecond));
    }

    /** {@code tbf} or {@code netem}. */
    public String kind() {
        return kind.name();
    }

    /** The tbf queue limit in bytes, computed as tc does: {@code rate * latency + burst}. */
    @Override
    public String toString() {
        return kind.toString();
    }
}
