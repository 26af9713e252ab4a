package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Address;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.Link;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Faults for a running test, each one call on a link or pair the test has (from {@link Veth}, or read with
 * {@link Rtnl} from one of the test's namespaces): take an end down and up, cut a pair apart and join it again, and
 * change what an end's sending suffers. A parameter of this type is given to tests that run in
 * {@link TransientNetns} namespaces; everything it changes goes with the test's namespaces.
 *
 * <pre>{@code
 * @Test
 * @TransientNetns
 * void reconnects(@Veth(peerNetns = "server", address = "10.1.0.1/24", peerAddress = "10.1.0.2/24") VethPair veth,
 *         @TransientNetns("server") NsFd server, NetnsFaults faults) {
 *     ... the client talks to the server ...
 *     faults.partition(veth);      // the server's end is gone: connections time out, new ones fail
 *     veth = faults.heal(veth);    // back, up, with its addresses
 *     ... the client reconnects ...
 * }
 * }</pre>
 */
public final class NetnsFaults {
    /** The further namespace that holds the ends of cut pairs. */
    static final String PARTITION_NAMESPACE = "jnetns-partition";

    private static final Duration UP_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<NetnsScope> scope;
    /** The addresses of each cut end (by its index in the holding namespace), and the namespace it came from. */
    private final Map<Integer, Cut> cut = new HashMap<>();

    private record Cut(NsFd from, List<Address> addresses) {}

    NetnsFaults(Supplier<NetnsScope> scope) {
        this.scope = scope;
    }

    /**
     * Takes {@code link} down: it stops sending and receiving, and a veth's other end loses its carrier.
     *
     * @param link a link of one of the test's namespaces
     * @return the link as it is now
     */
    public Link down(Link link) {
        try (Rtnl rtnl = Rtnl.open(namespaceOf(link))) {
            return rtnl.setDown(link);
        }
    }

    /**
     * Brings {@code link} up (a veth carries traffic once its other end is up too; {@link Rtnl#waitUntilUp} waits
     * for that).
     *
     * @param link a link of one of the test's namespaces
     * @return the link as it is now
     */
    public Link up(Link link) {
        try (Rtnl rtnl = Rtnl.open(namespaceOf(link))) {
            return rtnl.setUp(link);
        }
    }

    /**
     * Cuts {@code pair} apart: its peer end moves out of its namespace into one of jnetns' own (named
     * {@value #PARTITION_NAMESPACE} in state reports), so that nothing reaches the peer over it; packets in flight
     * are lost and connections over it time out. Its addresses are kept for {@link #heal}.
     *
     * @param pair a pair of the test's namespaces
     */
    public void partition(VethPair pair) {
        Objects.requireNonNull(pair, "pair");
        NsFd from = namespaceOf(pair.peer());
        NsFd holding = holdingNamespace();
        try (Rtnl rtnl = Rtnl.open(from)) {
            List<Address> addresses = rtnl.addresses(pair.peer());
            Link moved = rtnl.moveTo(pair.peer(), holding);
            cut.put(moved.index(), new Cut(from, addresses));
        }
    }

    /**
     * Joins a pair cut by {@link #partition}: the peer end goes back to its namespace, up, with its addresses (routes
     * other than its addresses' own must be added again).
     *
     * @param pair the pair as it was given to {@link #partition}
     * @return the pair as it is now, up
     */
    public VethPair heal(VethPair pair) {
        Objects.requireNonNull(pair, "pair");
        NsFd holding = holdingNamespace();
        try (Rtnl there = Rtnl.open(holding)) {
            Link held = there.link(pair.peer().name());
            Cut was = cut.remove(held.index());
            if (was == null) {
                throw new IllegalStateException(pair.peer().name() + " was not cut by partition()");
            }
            Link back = there.moveTo(held, was.from());
            try (Rtnl rtnl = Rtnl.open(was.from())) {
                for (Address a : was.addresses()) {
                    if (!a.prefix().address().isLinkLocalAddress()) {
                        rtnl.addAddress(back, a.prefix(), AddressOption.NO_DAD);
                    }
                }
                back = rtnl.waitUntilUp(rtnl.setUp(back), UP_TIMEOUT);
            }
            try (Rtnl local = Rtnl.open(namespaceOf(pair.local()))) {
                return new VethPair(local.refresh(pair.local()), back);
            }
        }
    }

    /**
     * Replaces what {@code link}'s sending suffers with {@code qdisc}, e.g. {@code QdiscSpec.tbf(125_000, 3200,
     * Duration.ofMillis(100))} for 1 Mbit/s, or {@code QdiscSpec.netem().delay(Duration.ofMillis(50))}.
     *
     * @param link a link of one of the test's namespaces
     * @param qdisc its new root qdisc
     */
    public void impair(Link link, QdiscSpec qdisc) {
        Objects.requireNonNull(qdisc, "qdisc");
        try (Rtnl rtnl = Rtnl.open(namespaceOf(link))) {
            rtnl.replaceQdisc(link, qdisc);
        }
    }

    /**
     * Takes away what {@link #impair} or {@link Veth} put on {@code link}'s sending.
     *
     * @param link a link of one of the test's namespaces
     */
    public void clearImpairment(Link link) {
        try (Rtnl rtnl = Rtnl.open(namespaceOf(link))) {
            rtnl.deleteQdisc(link);
        }
    }

    private NsFd holdingNamespace() {
        return scope().extra(PARTITION_NAMESPACE, Netns.Lo.UP, "NetnsFaults.partition", Netns::newTransient);
    }

    /** The test's namespace that {@code link} was read from. */
    private NsFd namespaceOf(Link link) {
        Objects.requireNonNull(link, "link");
        List<String> known = new ArrayList<>();
        for (Map.Entry<String, NsFd> each : scope().namespaces().entrySet()) {
            if (each.getValue().ino() == link.netnsIno()) {
                return each.getValue();
            }
            known.add(each.getKey() + " net:[" + each.getValue().ino() + "]");
        }
        throw new IllegalArgumentException("link \"" + link.name() + "\" was read from net:[" + link.netnsIno()
                + "], which is none of the test's namespaces (" + String.join(", ", known) + ")");
    }

    private NetnsScope scope() {
        NetnsScope s = scope.get();
        if (s == null) {
            throw new IllegalStateException("NetnsFaults works while its test runs in @TransientNetns namespaces");
        }
        return s;
    }
}
