package dev.jnetns.assertj;

import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.link.Address;
import dev.jnetns.link.IpPrefix;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkStats;
import dev.jnetns.link.Rtnl;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a network interface. The {@link Link} given is only a snapshot and may be stale: <b>every check
 * reads the link's current state from the kernel</b>, by its index, in the namespace the snapshot was read from
 * ({@link Link#netnsIno()}). That namespace is reached
 *
 * <ul>
 *   <li>through the handle given with {@link #in(NsFd)}, or else
 *   <li>directly, when the calling thread is inside it (e.g. within {@code Netns.execute(ns, ...)}).
 * </ul>
 *
 * Otherwise a check fails, saying to use {@code .in(ns)}. Each check opens an rtnetlink handle and closes it
 * before returning, so the assertion object holds no descriptor.
 *
 * <pre>{@code
 * assertThat(veth.peer()).in(peerNs).isUp().hasMtu(1500).hasAddress("10.1.0.2/24");
 * assertThat(port).in(ns).isEnslavedTo(bridge).isPromiscuous();
 * }</pre>
 *
 * <p>Failure messages show the link's current state, e.g. {@code Expecting link "veth0" in net:[4026532177] to be
 * up, but it is down (flags: BROADCAST,MULTICAST; operstate: DOWN)}. Descriptions ({@code as(...)}) are
 * honoured, and the class works with soft assertions: {@code softly.proxy(LinkAssert.class, Link.class, link)} or
 * {@link NetnsSoftAssertions}.
 */
public class LinkAssert extends AbstractAssert<LinkAssert, Link> {
    private NsFd ns;

    /** A link and its addresses, read through one handle. */
    private record WithAddresses(Link link, List<Address> addresses) {}

    /**
     * Creates the assertion; prefer {@link NetnsAssertions#assertThat(Link)}.
     *
     * @param actual the link snapshot (its index and namespace say which link to check)
     */
    public LinkAssert(Link actual) {
        super(actual, LinkAssert.class);
    }

    /**
     * Says where the link lives: a handle to the namespace it was read from. Needed unless the calling thread is
     * inside that namespace. The handle stays the caller's; it must be open when the checks run.
     *
     * @param ns a handle to the link's namespace
     * @return this assertion
     */
    public LinkAssert in(NsFd ns) {
        this.ns = Objects.requireNonNull(ns, "ns");
        return myself;
    }

    // ---------------------------------------------------------------- reading

    /** Runs {@code fn} with a handle to the link's namespace, opened for it and closed afterwards. */
    private <T> T read(Function<Rtnl, T> fn) {
        isNotNull();
        try (Rtnl rtnl = open()) {
            return fn.apply(rtnl);
        }
    }

    private Rtnl open() {
        long ino = actual.netnsIno();
        if (ns != null) {
            if (ns.ino() != ino) {
                throw failure(
                        "Cannot check link \"%s\" (index %s): it was read from %s, but .in() names %s",
                        actual.name(), actual.index(), State.netns(ino), State.netns(ns.ino()));
            }
            if (!ns.isOpen()) {
                throw failure(
                        "Cannot check link \"%s\" (index %s): the handle given with .in() to %s is closed",
                        actual.name(), actual.index(), State.netns(ino));
            }
            return Rtnl.open(ns);
        }
        long here = State.threadNetnsIno();
        if (here == ino) {
            return Rtnl.openCurrent();
        }
        throw failure(
                "Cannot check link \"%s\" (index %s): it lives in %s, but the calling thread is in %s;"
                        + " use assertThat(link).in(ns), ns an open NsFd of %s, to say where it lives",
                actual.name(), actual.index(), State.netns(ino), State.netns(here), State.netns(ino));
    }

    /** The link as it is now; fails if it is gone. */
    private Link now(Rtnl rtnl) {
        try {
            return rtnl.link(actual.index());
        } catch (NetnsException e) {
            if (e.errno() == Errno.ENODEV) {
                throw failure(
                        "Expecting link \"%s\" (index %s) in %s to exist, but it is gone (deleted, or moved to"
                                + " another namespace)",
                        actual.name(), actual.index(), State.netns(actual.netnsIno()));
            }
            throw e;
        }
    }

    private Link now() {
        return read(this::now);
    }

    /** {@code "veth0" in net:[4026532177]}, with the link's current name. */
    private static String label(Link now) {
        return "\"" + now.name() + "\" in " + State.netns(now.netnsIno());
    }

    // ---------------------------------------------------------------- flags and state

    /**
     * Verifies that the link is administratively up ({@code IFF_UP}).
     *
     * @return this assertion
     */
    public LinkAssert isUp() {
        Link now = now();
        if (!now.isUp()) {
            throw failure("Expecting link %s to be up, but it is down (%s)", label(now), State.upState(now));
        }
        return myself;
    }

    /**
     * Verifies that the link is administratively down (no {@code IFF_UP}).
     *
     * @return this assertion
     */
    public LinkAssert isDown() {
        Link now = now();
        if (now.isUp()) {
            throw failure("Expecting link %s to be down, but it is up (%s)", label(now), State.upState(now));
        }
        return myself;
    }

    /**
     * Verifies that the link is operationally up: administratively up, with operational state {@code UP} or
     * {@code UNKNOWN} (as for {@code lo}), as {@link Link#isOperationallyUp()}.
     *
     * @return this assertion
     */
    public LinkAssert isOperationallyUp() {
        Link now = now();
        if (!now.isOperationallyUp()) {
            throw failure(
                    "Expecting link %s to be operationally up (up, operstate UP or UNKNOWN), but it is %s with"
                            + " operstate %s (%s)",
                    label(now), now.isUp() ? "up" : "down", now.operState(), State.upState(now));
        }
        return myself;
    }

    /**
     * Verifies that the link is in promiscuous mode ({@code IFF_PROMISC}).
     *
     * @return this assertion
     */
    public LinkAssert isPromiscuous() {
        Link now = now();
        if (!now.isPromiscuous()) {
            throw failure(
                    "Expecting link %s to be promiscuous, but it is not (flags: %s)",
                    label(now), State.flags(now.flags()));
        }
        return myself;
    }

    // ---------------------------------------------------------------- settings

    /**
     * Verifies the link's MTU.
     *
     * @param mtu the expected MTU
     * @return this assertion
     */
    public LinkAssert hasMtu(int mtu) {
        Link now = now();
        if (now.mtu() != mtu) {
            throw failureWithActualExpected(
                    now.mtu(), mtu, "Expecting link %s to have MTU %s, but it has MTU %s", label(now), mtu, now.mtu());
        }
        return myself;
    }

    /**
     * Verifies the link's current name (a link keeps its index when renamed).
     *
     * @param name the expected name
     * @return this assertion
     */
    public LinkAssert hasName(String name) {
        Objects.requireNonNull(name, "name");
        Link now = now();
        if (!now.name().equals(name)) {
            throw failureWithActualExpected(
                    now.name(),
                    name,
                    "Expecting link (index %s) in %s to be named \"%s\", but it is named \"%s\"",
                    now.index(),
                    State.netns(now.netnsIno()),
                    name,
                    now.name());
        }
        return myself;
    }

    /**
     * Verifies the link's kind ({@code IFLA_INFO_KIND}: {@code veth}, {@code bridge}, {@code vxlan}...).
     *
     * @param kind the expected kind
     * @return this assertion
     */
    public LinkAssert hasKind(String kind) {
        Objects.requireNonNull(kind, "kind");
        Link now = now();
        if (!kind.equals(now.kind())) {
            throw failureWithActualExpected(
                    now.kind(),
                    kind,
                    "Expecting link %s to be of kind \"%s\", but %s",
                    label(now),
                    kind,
                    now.kind() == null
                            ? "it has no kind (as lo or a physical NIC)"
                            : "it is of kind \"" + now.kind() + "\"");
        }
        return myself;
    }

    /**
     * Verifies the link's hardware address, compared without regard to case.
     *
     * @param mac the expected address, as {@code aa:bb:cc:dd:ee:ff}
     * @return this assertion
     */
    public LinkAssert hasMac(String mac) {
        Objects.requireNonNull(mac, "mac");
        Link now = now();
        String expected = mac.toLowerCase(Locale.ROOT);
        if (!expected.equals(now.mac())) {
            throw failureWithActualExpected(
                    now.mac(),
                    expected,
                    "Expecting link %s to have MAC %s, but %s",
                    label(now),
                    expected,
                    now.mac() == null ? "it has none" : "it has " + now.mac());
        }
        return myself;
    }

    /**
     * Verifies the link's alias ({@code IFLA_IFALIAS}).
     *
     * @param alias the expected alias
     * @return this assertion
     */
    public LinkAssert hasAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        Link now = now();
        if (!alias.equals(now.alias())) {
            throw failureWithActualExpected(
                    now.alias(),
                    alias,
                    "Expecting link %s to have alias \"%s\", but %s",
                    label(now),
                    alias,
                    now.alias() == null ? "it has none" : "it has \"" + now.alias() + "\"");
        }
        return myself;
    }

    /**
     * Verifies the link's transmit queue length ({@code IFLA_TXQLEN}, {@code qlen}).
     *
     * @param txQueueLen the expected length, in packets
     * @return this assertion
     */
    public LinkAssert hasTxQueueLen(int txQueueLen) {
        Link now = now();
        if (now.txQueueLen() != txQueueLen) {
            throw failureWithActualExpected(
                    now.txQueueLen(),
                    txQueueLen,
                    "Expecting link %s to have txqlen %s, but it has txqlen %s",
                    label(now),
                    txQueueLen,
                    now.txQueueLen());
        }
        return myself;
    }

    /**
     * Verifies the link's device group ({@code IFLA_GROUP}; 0 is {@code default}).
     *
     * @param group the expected group
     * @return this assertion
     */
    public LinkAssert hasGroup(int group) {
        Link now = now();
        if (now.group() != group) {
            throw failureWithActualExpected(
                    now.group(),
                    group,
                    "Expecting link %s to be in group %s, but it is in group %s",
                    label(now),
                    group,
                    now.group());
        }
        return myself;
    }

    // ---------------------------------------------------------------- counters

    /**
     * Reads the link's counters now ({@link Rtnl#stats(Link)}) and returns assertions on them, e.g.
     * {@code assertThat(link).in(ns).stats().hasTransmittedPacketsAtLeast(10).hasNoErrors()}. The counters are
     * read once, here; call {@code stats()} again to see them move. In soft assertions the returned object is not
     * a soft proxy (AssertJ only proxies its own navigation methods).
     *
     * @return assertions on the counters, carrying this assertion's description
     */
    public LinkStatsAssert stats() {
        Object[] read = read(rtnl -> {
            Link now = now(rtnl);
            return new Object[] {now, rtnl.stats(now)};
        });
        LinkStatsAssert next = new LinkStatsAssert((LinkStats) read[1], label((Link) read[0]))
                .withRepresentation(info.representation());
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            next.as(info.description());
        }
        return next;
    }

    // ---------------------------------------------------------------- addresses

    /**
     * Verifies that the link has the address, with this very prefix length ({@code 10.1.0.1/24} is not
     * {@code 10.1.0.1/16}). IPv4 or IPv6; without {@code /LENGTH} the full length is meant.
     *
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     * @return this assertion
     * @throws IllegalArgumentException if {@code cidr} is not a valid CIDR
     */
    public LinkAssert hasAddress(String cidr) {
        IpPrefix expected = IpPrefix.parse(cidr);
        WithAddresses state = read(rtnl -> {
            Link now = now(rtnl);
            return new WithAddresses(now, rtnl.addresses(now));
        });
        Link now = state.link();
        List<Address> addresses = state.addresses();
        if (addresses.stream().noneMatch(a -> State.samePrefix(a.prefix(), expected))) {
            throw failure(
                    "Expecting link %s to have address %s, but it has %s",
                    label(now), expected, State.prefixes(addresses));
        }
        return myself;
    }

    /**
     * Verifies that the link does not have the address with this prefix length.
     *
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     * @return this assertion
     * @throws IllegalArgumentException if {@code cidr} is not a valid CIDR
     */
    public LinkAssert hasNoAddress(String cidr) {
        IpPrefix unexpected = IpPrefix.parse(cidr);
        WithAddresses state = read(rtnl -> {
            Link now = now(rtnl);
            return new WithAddresses(now, rtnl.addresses(now));
        });
        Link now = state.link();
        List<Address> addresses = state.addresses();
        if (addresses.stream().anyMatch(a -> State.samePrefix(a.prefix(), unexpected))) {
            throw failure(
                    "Expecting link %s not to have address %s, but it has %s",
                    label(now), unexpected, State.prefixes(addresses));
        }
        return myself;
    }

    // ---------------------------------------------------------------- master

    /**
     * Verifies that the link is a port of {@code master} (e.g. a bridge), which must be a link of the same
     * namespace.
     *
     * @param master the expected master
     * @return this assertion
     */
    public LinkAssert isEnslavedTo(Link master) {
        Objects.requireNonNull(master, "master");
        isNotNull();
        if (master.netnsIno() != actual.netnsIno()) {
            throw failure(
                    "Expecting link \"%s\" in %s to be enslaved to \"%s\", but that master was read from %s:"
                            + " a master is always in its port's namespace",
                    actual.name(), State.netns(actual.netnsIno()), master.name(), State.netns(master.netnsIno()));
        }
        String[] found = read(rtnl -> {
            Link now = now(rtnl);
            if (now.masterIndex() == master.index()) {
                return null;
            }
            return new String[] {
                label(now),
                now.masterIndex() == 0 ? "it has no master" : "its master is " + masterName(rtnl, now.masterIndex())
            };
        });
        if (found != null) {
            throw failure(
                    "Expecting link %s to be enslaved to \"%s\" (index %s), but %s",
                    found[0], master.name(), master.index(), found[1]);
        }
        return myself;
    }

    /**
     * Verifies that the link has no master (is not a bridge port, for example).
     *
     * @return this assertion
     */
    public LinkAssert hasNoMaster() {
        String[] found = read(rtnl -> {
            Link now = now(rtnl);
            return now.masterIndex() == 0 ? null : new String[] {label(now), masterName(rtnl, now.masterIndex())};
        });
        if (found != null) {
            throw failure("Expecting link %s to have no master, but it is enslaved to %s", found[0], found[1]);
        }
        return myself;
    }

    private static String masterName(Rtnl rtnl, int index) {
        try {
            Link master = rtnl.link(index);
            return "\"" + master.name() + "\" (index " + index + ")";
        } catch (NetnsException e) {
            return "index " + index;
        }
    }

    // ---------------------------------------------------------------- veth peer

    /**
     * Verifies that the link is a veth whose peer lives in {@code peerNs} now (the kernel names the peer's
     * namespace by an id, which is checked against the id the link's namespace gives {@code peerNs}; see
     * {@link Rtnl#peer(Link, NsFd...)}).
     *
     * @param peerNs the namespace the peer is expected in (may be the link's own)
     * @return this assertion
     */
    public LinkAssert hasPeerIn(NsFd peerNs) {
        Objects.requireNonNull(peerNs, "peerNs");
        return peerCheck(peerNs, null);
    }

    /**
     * Verifies that the link is a veth whose peer lives in {@code peerNs} now and is named {@code peerName}.
     *
     * @param peerNs the namespace the peer is expected in (may be the link's own)
     * @param peerName the peer's expected name
     * @return this assertion
     */
    public LinkAssert hasPeerIn(NsFd peerNs, String peerName) {
        Objects.requireNonNull(peerNs, "peerNs");
        Objects.requireNonNull(peerName, "peerName");
        return peerCheck(peerNs, peerName);
    }

    private LinkAssert peerCheck(NsFd peerNs, String peerName) {
        isNotNull();
        if (!peerNs.isOpen()) {
            throw failure(
                    "Cannot check the peer of link \"%s\": the handle to %s is closed",
                    actual.name(), State.netns(peerNs.ino()));
        }
        String expected = (peerName == null ? "its veth peer" : "veth peer \"" + peerName + "\"") + " in "
                + State.netns(peerNs.ino());
        String[] found = read(rtnl -> {
            Link now = now(rtnl);
            if (!"veth".equals(now.kind())) {
                return new String[] {label(now), "it is " + (now.kind() == null ? "of no kind" : "a " + now.kind())};
            }
            if (now.linkNetnsId() < 0 && peerNs.ino() != now.netnsIno()) {
                Link peer = rtnl.peer(now);
                return new String[] {label(now), "its peer \"" + peer.name() + "\" is in its own namespace"};
            }
            Link peer;
            try {
                peer = rtnl.peer(now, peerNs);
            } catch (NetnsException e) {
                return new String[] {label(now), e.getMessage()};
            }
            if (peerName != null && !peer.name().equals(peerName)) {
                return new String[] {label(now), "its peer there is named \"" + peer.name() + "\""};
            }
            return null;
        });
        if (found != null) {
            throw failure("Expecting link %s to have %s, but %s", found[0], expected, found[1]);
        }
        return myself;
    }
}
