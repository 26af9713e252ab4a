package dev.jnetns.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A veth pair made for the test, on a parameter of type {@link dev.jnetns.link.VethPair} (both ends) or
 * {@link dev.jnetns.link.Link} (the local end alone). The local end is in the test's namespace (the test, or its
 * class, must carry {@link TransientNetns}); the peer is in the namespace named by {@link #peerNetns()}, a further
 * namespace of the same test as with {@code @TransientNetns("name") NsFd} (made on first use), or by default in
 * the test's namespace too. Both ends are up unless {@link #up()} is false, and get the given addresses.
 *
 * <pre>{@code
 * @Test
 * @TransientNetns
 * void reachesThePeer(@TransientNetns("peer") NsFd peer,
 *         @Veth(peerNetns = "peer", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth) {
 *     // veth.local() is here, veth.peer() in `peer`
 * }
 * }</pre>
 *
 * <p><b>Impairments</b>: {@link #rate()}, {@link #delay()}, {@link #jitter()} and {@link #loss()} shape what the
 * {@link #impaired()} end (or both) sends, with a root qdisc: {@code tbf} for a rate alone, {@code netem} as soon as
 * a delay, jitter or loss is asked for. A test whose kernel lacks the qdisc is skipped with the kernel's answer.
 * To change them while the test runs, see {@link NetnsFaults}.
 *
 * <pre>{@code
 * @Test
 * @TransientNetns
 * void slowLink(@Veth(peerNetns = "server", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24",
 *         rate = "8mbit", impaired = Veth.End.BOTH) VethPair veth) { ... }
 * }</pre>
 *
 * <p>Every {@code @Veth} parameter makes its own pair; a test may have several. The pair lives only in transient
 * namespaces, so nothing is left in the host's namespace even if the JVM dies; teardown closes the namespaces and
 * lets the kernel remove the links (deleting them one by one would cost far more).
 */
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(VethExtension.class)
public @interface Veth {
    /**
     * The further namespace of the test to put the peer in (see {@link TransientNetns#value()}); empty for the
     * test's own namespace. The pair does not choose how {@code lo} is there: if the method also has a
     * {@code @TransientNetns("name") NsFd} parameter, its {@link TransientNetns#lo()} applies, before or after
     * this parameter; otherwise {@code lo} is up.
     *
     * @return its name
     */
    String peerNetns() default "";

    /**
     * The local end's name, at most 15 bytes; empty for a random one: {@code veth} and 11 hex digits, e.g.
     * {@code veth3fa09c1d2e4}.
     *
     * @return the name
     */
    String name() default "";

    /**
     * The peer's name, at most 15 bytes; empty for a random one, of the same form.
     *
     * @return the name
     */
    String peerName() default "";

    /**
     * An address for the local end in CIDR form, IPv4 or IPv6 (IPv6 without duplicate address detection, so it
     * is usable at once); empty for none.
     *
     * @return the address
     */
    String address() default "";

    /**
     * An address for the peer in CIDR form; empty for none.
     *
     * @return the address
     */
    String peerAddress() default "";

    /**
     * The MTU of both ends; 0 for the kernel's default (1500).
     *
     * @return the MTU
     */
    int mtu() default 0;

    /**
     * Whether both ends are brought up.
     *
     * @return true by default
     */
    boolean up() default true;

    /**
     * The most the impaired end sends, in bits per second as tc writes it: {@code 500kbit}, {@code 8mbit},
     * {@code 1gbit} (also {@code bit}); empty for no limit.
     *
     * @return the rate
     */
    String rate() default "";

    /**
     * A delay added to every packet the impaired end sends, e.g. {@code 50ms}, {@code 1s}, {@code 200us}; empty
     * for none. Needs netem.
     *
     * @return the delay
     */
    String delay() default "";

    /**
     * A random variation of {@link #delay()}, e.g. {@code 10ms}; empty for none. Needs netem.
     *
     * @return the jitter
     */
    String jitter() default "";

    /**
     * The percentage (0 to 100) of packets the impaired end drops at random; 0 for none. Needs netem.
     *
     * @return the loss
     */
    double loss() default 0;

    /**
     * The end whose sending the impairments shape; both, for the two directions.
     *
     * @return {@link End#LOCAL} by default
     */
    End impaired() default End.LOCAL;

    /** An end of the pair. */
    enum End {
        /** The end in the test's namespace. */
        LOCAL,
        /** The end in {@link #peerNetns()}. */
        PEER,
        /** Both ends. */
        BOTH
    }
}
