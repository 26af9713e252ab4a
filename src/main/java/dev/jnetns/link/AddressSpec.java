package dev.jnetns.link;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An address request with everything {@code ip addr add} can say, for {@link Rtnl#addAddress(Link, AddressSpec)}
 * and {@link Rtnl#replaceAddress(Link, AddressSpec)}. Immutable: each method returns a new spec.
 *
 * <pre>{@code
 * rtnl.addAddress(link, AddressSpec.of("10.1.0.1/24").label("veth0:web").options(AddressOption.NO_PREFIX_ROUTE));
 * rtnl.addAddress(link, AddressSpec.of("10.9.0.1/32").peer("10.9.0.2/32"));              // point-to-point
 * rtnl.addAddress(link, AddressSpec.of("fd00::1/64").validFor(Duration.ofMinutes(5)).preferredFor(Duration.ZERO));
 * }</pre>
 *
 * <p>Values are checked when they are set, before any system call: a peer of the other family, a label on an IPv6
 * address, a preferred lifetime longer than the valid one are refused naming the value.
 */
public final class AddressSpec {
    /** The longest lifetime that is not forever: {@code 0xfffffffe} seconds (the kernel's u32, forever excluded). */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(0xfffffffeL);

    private final IpPrefix local;
    private final InetAddress peer;
    private final String label;
    private final int scope;
    private final Duration validLifetime;
    private final Duration preferredLifetime;
    private final Set<AddressOption> options;

    private AddressSpec(
            IpPrefix local,
            InetAddress peer,
            String label,
            int scope,
            Duration validLifetime,
            Duration preferredLifetime,
            Set<AddressOption> options) {
        this.local = local;
        this.peer = peer;
        this.label = label;
        this.scope = scope;
        this.validLifetime = validLifetime;
        this.preferredLifetime = preferredLifetime;
        this.options = options;
    }

    /**
     * An address with its prefix length, scope global, lifetimes forever, no options.
     *
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     * @return the spec
     * @throws IllegalArgumentException if the CIDR is invalid
     */
    public static AddressSpec of(String cidr) {
        return of(IpPrefix.parse(Objects.requireNonNull(cidr, "cidr")));
    }

    /**
     * An address with its prefix length, scope global, lifetimes forever, no options.
     *
     * @param prefix the address and its prefix length
     * @return the spec
     */
    public static AddressSpec of(IpPrefix prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new AddressSpec(prefix, null, null, Address.SCOPE_UNIVERSE, null, null, Set.of());
    }

    /**
     * This address as one end of a point-to-point link whose other end is {@code peer} ({@code ip addr add LOCAL
     * peer PEER}): the kernel sends {@code IFA_LOCAL} = this address, {@code IFA_ADDRESS} = the peer, and the prefix
     * length applies to the peer (the route it adds goes to the peer's prefix).
     *
     * @param peer a numeric address of the same family
     * @return a new spec
     * @throws IllegalArgumentException if it is not numeric or of the other family
     */
    public AddressSpec peer(String peer) {
        InetAddress p = IpPrefix.parseAddress(Objects.requireNonNull(peer, "peer"));
        if ((p instanceof Inet6Address) != local.isIpv6()) {
            throw new IllegalArgumentException(
                    "peer " + IpPrefix.format(p) + " and address " + local + " differ in family");
        }
        return new AddressSpec(local, p, label, scope, validLifetime, preferredLifetime, options);
    }

    /**
     * An IPv4 label ({@code IFA_LABEL}, {@code ip addr add ... label NAME}); as iproute2 and vishvananda/netlink ask,
     * it must begin with the link's name (checked when the address is added), at most 15 bytes.
     *
     * @param label e.g. {@code veth0:web}
     * @return a new spec
     * @throws IllegalArgumentException if it is empty, longer than 15 bytes, or the address is IPv6 (which has no
     *     labels)
     */
    public AddressSpec label(String label) {
        Objects.requireNonNull(label, "label");
        if (local.isIpv6()) {
            throw new IllegalArgumentException("label \"" + label + "\": IPv6 addresses (" + local + ") have no label");
        }
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > 15 || label.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(
                    "label \"" + label + "\" must be 1 to 15 bytes without control characters (was " + bytes + ")");
        }
        return new AddressSpec(local, peer, label, scope, validLifetime, preferredLifetime, options);
    }

    /**
     * The scope ({@code ip addr add ... scope}).
     *
     * @param scope {@link Address#SCOPE_UNIVERSE} (the default), {@link Address#SCOPE_SITE},
     *     {@link Address#SCOPE_LINK}, {@link Address#SCOPE_HOST}, or another number 0 to 255
     * @return a new spec
     * @throws IllegalArgumentException if it is outside 0 to 255
     */
    public AddressSpec scope(int scope) {
        if (scope < 0 || scope > 255) {
            throw new IllegalArgumentException("scope " + scope + " is outside 0 to 255");
        }
        return new AddressSpec(local, peer, label, scope, validLifetime, preferredLifetime, options);
    }

    /**
     * How long the address stays ({@code valid_lft}); the kernel removes it afterwards. Whole seconds.
     *
     * @param valid 1 second to {@link #MAX_LIFETIME}
     * @return a new spec
     * @throws IllegalArgumentException if it is outside that range, or shorter than the preferred lifetime
     */
    public AddressSpec validFor(Duration valid) {
        Objects.requireNonNull(valid, "valid");
        checkLifetime("valid lifetime", valid, Duration.ofSeconds(1));
        if (preferredLifetime != null && preferredLifetime.compareTo(valid) > 0) {
            throw new IllegalArgumentException(
                    "valid lifetime " + valid + " is shorter than the preferred lifetime " + preferredLifetime);
        }
        return new AddressSpec(local, peer, label, scope, valid, preferredLifetime, options);
    }

    /**
     * How long the address is preferred for new connections ({@code preferred_lft}); afterwards it is deprecated
     * ({@link Address#isDeprecated()}) but still works. {@link Duration#ZERO}: deprecated at once. Whole seconds;
     * without a valid lifetime the valid one stays forever.
     *
     * @param preferred 0 to {@link #MAX_LIFETIME}, at most the valid lifetime
     * @return a new spec
     * @throws IllegalArgumentException if it is outside that range
     */
    public AddressSpec preferredFor(Duration preferred) {
        Objects.requireNonNull(preferred, "preferred");
        checkLifetime("preferred lifetime", preferred, Duration.ZERO);
        if (validLifetime != null && preferred.compareTo(validLifetime) > 0) {
            throw new IllegalArgumentException(
                    "preferred lifetime " + preferred + " is longer than the valid lifetime " + validLifetime);
        }
        return new AddressSpec(local, peer, label, scope, validLifetime, preferred, options);
    }

    private static void checkLifetime(String what, Duration d, Duration min) {
        if (d.compareTo(min) < 0 || d.compareTo(MAX_LIFETIME) > 0 || d.toNanosPart() != 0) {
            throw new IllegalArgumentException(what + " " + d + " must be whole seconds from " + min.toSeconds()
                    + " to " + MAX_LIFETIME.toSeconds());
        }
    }

    /**
     * Flags of the request ({@code IFA_F_*}), replacing those given before. {@link AddressOption#NO_DAD} has no
     * effect on IPv4 and is not sent there.
     *
     * @param options e.g. {@link AddressOption#NO_DAD}, {@link AddressOption#NO_PREFIX_ROUTE}
     * @return a new spec
     */
    public AddressSpec options(AddressOption... options) {
        Objects.requireNonNull(options, "options");
        EnumSet<AddressOption> set = EnumSet.noneOf(AddressOption.class);
        for (AddressOption o : options) {
            set.add(Objects.requireNonNull(o, "options[]"));
        }
        return new AddressSpec(local, peer, label, scope, validLifetime, preferredLifetime, Set.copyOf(set));
    }

    /** The address and its prefix length. */
    public IpPrefix prefix() {
        return local;
    }

    /** The point-to-point peer, or {@code null}. */
    public InetAddress peer() {
        return peer;
    }

    /** The IPv4 label, or {@code null} (the kernel then uses the link's name). */
    public String label() {
        return label;
    }

    /** The scope. */
    public int scope() {
        return scope;
    }

    /** The valid lifetime, or {@code null} for forever. */
    public Duration validLifetime() {
        return validLifetime;
    }

    /** The preferred lifetime, or {@code null} for forever (or as long as the valid one). */
    public Duration preferredLifetime() {
        return preferredLifetime;
    }

    /** The flags asked for. */
    public Set<AddressOption> options() {
        return options;
    }

    /** The {@code IFA_F_*} bits to send. */
    int flags() {
        int flags = 0;
        for (AddressOption o : options) {
            if (o != AddressOption.NO_DAD || local.isIpv6()) {
                flags |= o.flag();
            }
        }
        return flags;
    }

    /** Whether lifetimes are sent ({@code IFA_CACHEINFO}). */
    boolean hasLifetimes() {
        return validLifetime != null || preferredLifetime != null;
    }

    /** The spec as {@code ip addr} would be told, for messages: {@code 10.1.0.1/24 peer 10.1.0.2 label x}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(local.toString());
        if (peer != null) {
            s.append(" peer ").append(IpPrefix.format(peer));
        }
        if (label != null) {
            s.append(" label ").append(label);
        }
        if (scope != Address.SCOPE_UNIVERSE) {
            s.append(" scope ").append(scope);
        }
        if (validLifetime != null) {
            s.append(" valid_lft ").append(validLifetime.toSeconds());
        }
        if (preferredLifetime != null) {
            s.append(" preferred_lft ").append(preferredLifetime.toSeconds());
        }
        for (AddressOption o : options) {
            s.append(' ').append(o.name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSpec a
                && local.equals(a.local)
                && Objects.equals(peer, a.peer)
                && Objects.equals(label, a.label)
                && scope == a.scope
                && Objects.equals(validLifetime, a.validLifetime)
                && Objects.equals(preferredLifetime, a.preferredLifetime)
                && options.equals(a.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(local, peer, label, scope, validLifetime, preferredLifetime, options);
    }
}
