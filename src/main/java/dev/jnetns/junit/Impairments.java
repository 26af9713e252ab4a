package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.Rtnl;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The impairments of a {@link Veth} as a qdisc: {@code tbf} for a rate alone, {@code netem} for delay, jitter or
 * loss (with its own rate); and whether this kernel has that qdisc, asked once per kind.
 */
final class Impairments {
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(bit|kbit|mbit|gbit)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");
    /** How long tbf lets a packet wait before dropping it: the queue holds this much of the rate. */
    private static final Duration TBF_LATENCY = Duration.ofMillis(100);
    /** What the kernel answered to each kind when asked on a throwaway namespace's lo: empty if it has it. */
    private static final Map<String, Optional<String>> MISSING = new ConcurrentHashMap<>();

    private Impairments() {}

    /** The qdisc for {@code veth}'s impairments, or null if it asks for none; a bad value fails naming it. */
    static QdiscSpec of(Veth veth) {
        long rate = veth.rate().isEmpty() ? 0 : rate(veth.rate());
        Duration delay = veth.delay().isEmpty() ? Duration.ZERO : duration("delay", veth.delay());
        Duration jitter = veth.jitter().isEmpty() ? Duration.ZERO : duration("jitter", veth.jitter());
        if (!(veth.loss() >= 0 && veth.loss() <= 100)) {
            throw new IllegalArgumentException("loss must be 0 to 100 percent, was " + veth.loss());
        }
        boolean netem = !delay.isZero() || !jitter.isZero() || veth.loss() > 0;
        if (netem) {
            QdiscSpec spec = QdiscSpec.netem().delay(delay).jitter(jitter).loss(veth.loss());
            return rate > 0 ? spec.rate(rate) : spec;
        }
        return rate > 0 ? tbf(rate) : null;
    }

    /** A tbf at {@code bytesPerSecond}, with a bucket of 10 ms of it (at least two full frames). */
    static QdiscSpec tbf(long bytesPerSecond) {
        return QdiscSpec.tbf(bytesPerSecond, Math.max(bytesPerSecond / 100, 3200), TBF_LATENCY);
    }

    /** {@code 8mbit} as bytes per second (1000000). */
    static long rate(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "rate must be bits per second as tc writes them (500kbit, 8mbit, 1gbit), was \"" + text + "\"");
        }
        double bits = Double.parseDouble(m.group(1))
                * switch (m.group(2)) {
                    case "kbit" -> 1e3;
                    case "mbit" -> 1e6;
                    case "gbit" -> 1e9;
                    default -> 1;
                };
        if (bits < 8) {
            throw new IllegalArgumentException("rate must be at least 8bit (one byte a second), was \"" + text + "\"");
        }
        return (long) (bits / 8);
    }

    /** {@code 50ms} as a duration. */
    static Duration duration(String what, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    what + " must be a duration such as 200us, 50ms or 1s, was \"" + text + "\"");
        }
        double n = Double.parseDouble(m.group(1));
        long nanos = (long) (n
                * switch (m.group(2)) {
                    case "us" -> 1e3;
                    case "ms" -> 1e6;
                    default -> 1e9;
                });
        return Duration.ofNanos(nanos);
    }

    /**
     * What the kernel says when asked for {@code spec}'s kind of qdisc, if it lacks it (checked once per kind, on
     * {@code lo} of a throwaway namespace); empty if it has it, or if it cannot be asked (then creating the pair
     * tells).
     */
    static Optional<String> missing(QdiscSpec spec) {
        return MISSING.computeIfAbsent(spec.kind(), kind -> {
            try (NsFd ns = Netns.newTransient(Netns.Lo.UP);
                    Rtnl rtnl = Rtnl.open(ns)) {
                rtnl.addQdisc(rtnl.link("lo"), spec);
                return Optional.empty();
            } catch (NetnsException e) {
                return e.errno() == Errno.ENOENT || e.errno() == Errno.EOPNOTSUPP
                        ? Optional.of(e.getMessage())
                        : Optional.empty();
            }
        });
    }
}
