package dev.jnetns.link;

import java.time.Duration;
import java.util.Objects;

/**
 * A root queueing discipline for {@link Rtnl#addQdisc(Link, QdiscSpec)} and
 * {@link Rtnl#replaceQdisc(Link, QdiscSpec)}: a token bucket filter ({@link #tbf}) or netem ({@link #netem()}).
 * Immutable; the {@code netem} settings return new instances.
 */
public final class QdiscSpec {
    final String kind;
    final long rate;
    final long burst;
    final Duration latency;
    final Duration delay;
    final Duration jitter;
    final double lossPercent;
    final int limit;

    private QdiscSpec(
            String kind,
            long rate,
            long burst,
            Duration latency,
            Duration delay,
            Duration jitter,
            double lossPercent,
            int limit) {
        this.kind = kind;
        this.rate = rate;
        this.burst = burst;
        this.latency = latency;
        this.delay = delay;
        this.jitter = jitter;
        this.lossPercent = lossPercent;
        this.limit = limit;
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
        return new QdiscSpec("tbf", rateBytesPerSecond, burstBytes, latency, null, null, 0, 0);
    }

    /** A netem qdisc without delay or loss yet (limit 1000 packets, as tc). Needs the kernel's netem module. */
    public static QdiscSpec netem() {
        return new QdiscSpec("netem", 0, 0, null, Duration.ZERO, Duration.ZERO, 0, 1000);
    }

    private QdiscSpec requireNetem() {
        if (!kind.equals("netem")) {
            throw new IllegalStateException("setting not applicable to " + kind);
        }
        return this;
    }

    /** This netem with a fixed delay. */
    public QdiscSpec delay(Duration delay) {
        requireNetem();
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new QdiscSpec(kind, rate, burst, latency, delay, jitter, lossPercent, limit);
    }

    /** This netem with a random variation of the delay. */
    public QdiscSpec jitter(Duration jitter) {
        requireNetem();
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative");
        }
        return new QdiscSpec(kind, rate, burst, latency, delay, jitter, lossPercent, limit);
    }

    /** This netem dropping {@code percent} (0-100) of packets at random. */
    public QdiscSpec loss(double percent) {
        requireNetem();
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("loss must be 0 to 100 percent, was " + percent);
        }
        return new QdiscSpec(kind, rate, burst, latency, delay, jitter, percent, limit);
    }

    /** This netem with a queue limit in packets. */
    public QdiscSpec limit(int packets) {
        requireNetem();
        if (packets <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return new QdiscSpec(kind, rate, burst, latency, delay, jitter, lossPercent, packets);
    }

    /** {@code tbf} or {@code netem}. */
    public String kind() {
        return kind;
    }

    /** The tbf queue limit in bytes, computed as tc does: {@code rate * latency + burst}. */
    long tbfLimit() {
        double seconds = latency.getSeconds() + latency.getNano() / 1e9;
        double limit = rate * seconds + burst;
        return (long) Math.min(limit, 0xffffffffL);
    }

    @Override
    public String toString() {
        if (kind.equals("tbf")) {
            return "tbf rate " + rate + "B/s burst " + burst + "B latency " + latency;
        }
        return "netem delay " + delay + " jitter " + jitter + " loss " + lossPercent + "% limit " + limit;
    }
}
