package dev.jnetns.link;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.SpareRtnlSocket;
import dev.jnetns.internal.Spares;
import dev.jnetns.internal.netlink.NetlinkSocket;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.NetlinkNatives;
import dev.jnetns.internal.sys.NsFiles;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * An rtnetlink handle bound to one network namespace: links, addresses, routes and qdiscs, in pure Java (no
 * {@code ip} or {@code tc}). The netlink socket is opened on a thread inside the namespace and stays bound to
 * it whichever thread uses the handle afterwards.
 *
 * <pre>{@code
 * try (NsFd a = Netns.newTransient(); NsFd b = Netns.newTransient(); Rtnl rtnl = Rtnl.open(a)) {
 *     VethPair veth = rtnl.createVeth(LinkSpec.veth("a0").peer("b0").peerNetns(b).up());
 *     rtnl.addAddress(veth.local(), "10.1.0.1/24");
 *     try (Rtnl peer = Rtnl.open(b)) {
 *         peer.addAddress(veth.peer(), "10.1.0.2/24");
 *     }
 * }
 * }</pre>
 *
 * <p>Every request is acknowledged by the kernel; a refusal becomes a {@link NetnsException} naming the request,
 * the errno and the kernel's extended-ack text, e.g. {@code RTM_NEWLINK veth "x": EEXIST (File exists)}.
 * Methods taking a {@link Link} check that it was read from this handle's namespace. The handle is safe to share
 * between threads (one request at a time); after {@link #close()} every method fails with a
 * {@link NetnsException} naming the handle.
 */
public final class Rtnl implements AutoCloseable {
    private static final int NAME_ATTEMPTS = 16;

    private final NsFd ns;
    private final NetlinkSocket socket;
    private final long ino;
    private final String label;
    private volatile boolean closed;
    /** The namespace's spare socket, when this handle has it lent (see {@link SpareRtnlSocket}); else null. */
    private final SpareRtnlSocket.Loan loan;
    /** Where the digits of random names come from; injected by tests (null: {@link LinkNames#random(String)}). */
    private final IntUnaryOperator nameDigits;

    private Rtnl(NsFd ns, NetlinkSocket socket, IntUnaryOperator nameDigits, SpareRtnlSocket.Loan loan) {
        this.ns = ns;
        this.socket = socket;
        this.loan = loan;
        this.nameDigits = nameDigits;
        this.ino = ns.ino();
        this.label = "Rtnl(net:[" + ino + "])";
    }

    /**
     * Opens a handle bound to {@code ns}. The namespace stays alive while the handle is open.
     *
     * @param ns the namespace (the caller keeps and closes its own handle)
     * @return the handle, to close
     * @throws NetnsException if {@code ns} is closed or the socket cannot be opened
     */
    public static Rtnl open(NsFd ns) {
        return open(ns, null);
    }

    /** As {@link #open(NsFd)}, drawing the digits of random link names from {@code nameDigits} (tests' seam). */
    static Rtnl open(NsFd ns, IntUnaryOperator nameDigits) {
        Objects.requireNonNull(ns, "ns");
        requireOpen(ns, "Rtnl.open(net:[" + ns.ino() + "])");
        SpareRtnlSocket spare = Spares.RTNL_SOCKETS.get(ns.fd());
        SpareRtnlSocket.Loan loan = spare == null ? null : lend(spare);
        if (loan != null) { // opened inside when jnetns made the namespace: no thread needs to go there
            NsFd own;
            try {
                own = ns.duplicate();
            } catch (RuntimeException e) {
                NsFiles.close(loan.fd());
                loan.giveBack();
                throw e;
            }
            String label = "Rtnl(net:[" + own.ino() + "])";
            try {
                return new Rtnl(own, NetlinkSocket.adopt(loan.fd(), label), nameDigits, loan);
            } catch (RuntimeException e) { // adopt closed the lent descriptor
                own.close();
                loan.giveBack();
                throw Failures.translated(e);
            }
        }
        return Netns.<Rtnl, RuntimeException>execute(ns, () -> openHere(nameDigits));
    }

    /**
     * Opens a handle bound to the calling thread's current network namespace.
     *
     * @return the handle, to close
     */
    public static Rtnl openCurrent() {
        return openHere(null);
    }

    private static Rtnl openHere(IntUnaryOperator nameDigits) {
        NsFd own = NsFd.current();
        try {
            return new Rtnl(own, NetlinkSocket.open("Rtnl(net:[" + own.ino() + "])"), nameDigits, null);
        } catch (RuntimeException e) {
            own.close();
            throw Failures.translated(e);
        }
    }

    /**
     * The inode of the namespace this handle is bound to (as {@link NsFd#ino()} and {@link Link#netnsIno()}).
     *
     * @return the inode
     */
    public long netnsIno() {
        return ino;
    }

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the handle's socket descriptor and its reference to the namespace; idempotent. A socket lent by the
     * namespace (see {@link SpareRtnlSocket}) stays open with it, free for the next handle.
     */
    @Override
    public void close() {
        closed = true;
        socket.close(); // waits for a request in progress: nothing reads the socket once it is given back
        ns.close();
        if (loan != null) {
            loan.giveBack();
        }
    }

    /** A loan of {@code spare}, or null if another handle has it; a failure to set it up is the caller's. */
    private static SpareRtnlSocket.Loan lend(SpareRtnlSocket spare) {
        try {
            return spare.lend();
        } catch (RuntimeException e) {
            throw Failures.translated(e);
        }
    }

    /** For example {@code Rtnl(net:[4026532177])}. */
    @Override
    public String toString() {
        return label + (closed ? " (closed)" : "");
    }

    private void check(String op) {
        if (closed) {
            throw new NetnsException(op, label + " is closed");
        }
    }

    /** A user's handle closed before the call: fail naming the call, not only the handle. */
    private static void requireOpen(NsFd target, String op) {
        if (target != null && !target.isOpen()) {
            throw new NetnsException(op, "the handle on net:[" + target.ino() + "] is closed");
        }
    }

    private void own(Link link, String op) {
        Objects.requireNonNull(link, "link");
        if (link.netnsIno() != ino) {
            throw new NetnsException(
                    op,
                    "link \"" + link.name() + "\" (index " + link.index() + ") was read from net:[" + link.netnsIno()
                            + "], but " + label + " works in net:[" + ino + "]");
        }
    }

    private static String q(String name) {
        return "\"" + name + "\"";
    }

    // ---------------------------------------------------------------- links: reading

    /**
     * All links of the namespace, in index order.
     *
     * @return the links, as snapshots
     */
    public List<Link> links() {
        String op = "RTM_GETLINK dump";
        check(op);
        List<Link> out = new ArrayList<>();
        for (NlMessage m : dumpMessages(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0), op)) {
            if (m.type() == Nl.RTM_NEWLINK) {
                out.add(decodeLink(m));
            }
        }
        return out;
    }

    /**
     * The link named {@code name}.
     *
     * @param name the interface name
     * @return the link
     * @throws NetnsException {@code ENODEV} if there is none
     * @throws IllegalArgumentException if the name is invalid
     */
    public Link link(String name) {
        Objects.requireNonNull(name, "name");
        LinkNames.check(name);
        String op = "RTM_GETLINK " + q(name);
        check(op);
        return single(
                new NlBuilder(Nl.RTM_GETLINK, 0)
                        .ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0)
                        .string(Nl.IFLA_IFNAME, name),
                op);
    }

    /**
     * The link with index {@code index}.
     *
     * @param index the interface index
     * @return the link
     * @throws NetnsException {@code ENODEV} if there is none
     */
    public Link link(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive, was " + index);
        }
        String op = "RTM_GETLINK index " + index;
        check(op);
        return single(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, index, 0, 0), op);
    }

    private Link single(NlBuilder request, String op) {
        for (NlMessage m : request(request, op)) {
            if (m.type() == Nl.RTM_NEWLINK) {
                return decodeLink(m);
            }
        }
        throw new NetnsException(op, Errno.ENODEV, "the kernel acknowledged but sent no link", null);
    }

    /**
     * The link named {@code name}, or empty if there is none.
     *
     * @param name the interface name
     * @return the link, or empty
     */
    public Optional<Link> findLink(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return Optional.of(link(name));
        } catch (NetnsException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The link whose alias ({@code IFLA_IFALIAS}) is {@code alias}.
     *
     * @param alias the alias
     * @return the link
     * @throws NetnsException {@code ENODEV} if there is none
     */
    public Link linkByAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        for (Link link : links()) {
            if (alias.equals(link.alias())) {
                return link;
            }
        }
        throw new NetnsException(
                "RTM_GETLINK alias " + q(alias), Errno.ENODEV, "no link in net:[" + ino + "] has this alias", null);
    }

    /**
     * A fresh snapshot of {@code link} (by index).
     *
     * @param link a link read from this handle's namespace
     * @return the link as it is now
     */
    public Link refresh(Link link) {
        Objects.requireNonNull(link, "link");
        own(link, "RTM_GETLINK " + q(link.name()));
        return link(link.index());
    }

    // ---------------------------------------------------------------- links: creating

    /**
     * Creates a link; for a veth the result is the local end (see {@link #createVeth(LinkSpec)} for both).
     * Without a name a random one is used, drawn again on {@code EEXIST} (up to 16 times); a veth with one fixed
     * name fails at once when it is the fixed name that is taken.
     *
     * @param spec what to create
     * @return the new link, read back from the namespace it was created in
     * @throws NetnsException if the kernel refuses (e.g. {@code EEXIST}, or {@code EOPNOTSUPP} with "Unknown
     *     device type" for a kind it lacks)
     */
    public Link create(LinkSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.kind.name().equals("tap")) {
            return createTap(spec);
        }
        if (spec.kind instanceof VethKind) {
            return createVeth(spec).local();
        }
        String[] names = createWithRetry(spec);
        return inNetns(spec.netns, r -> r.link(names[0]));
    }

    /**
     * Creates a veth pair and returns both ends, each read from its own namespace. The peer goes into
     * {@link LinkSpec#peerNetns}, else {@link LinkSpec#netns}, else this handle's namespace; a handle on the peer's
     * namespace is opened for the duration of the call when it is another one (see
     * {@link #createVeth(LinkSpec, Rtnl)} to pass one).
     *
     * @param spec a {@link LinkSpec#veth} spec
     * @return both ends
     */
    public VethPair createVeth(LinkSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return createVeth(spec, null);
    }

    /**
     * Creates a veth pair whose peer goes into {@code peerHandle}'s namespace, and reads (and brings up, with
     * {@link LinkSpec#up()}) the peer through that handle, so that no further handle is opened.
     *
     * @param spec a {@link LinkSpec#veth} spec; its {@link LinkSpec#peerNetns}, if set, must be
     *     {@code peerHandle}'s namespace
     * @param peerHandle an open handle on the namespace the peer goes into
     * @return both ends
     * @throws IllegalArgumentException if {@code spec} names another namespace for the peer
     */
    public VethPair createVeth(LinkSpec spec, Rtnl peerHandle) {
        Objects.requireNonNull(spec, "spec");
        if (!(spec.kind instanceof VethKind veth)) {
            throw new IllegalArgumentException("createVeth needs a veth spec, not " + spec.kind.name());
        }
        NsFd peerNs = veth.peerNetns != null ? veth.peerNetns : spec.netns;
        if (peerHandle != null) {
            peerHandle.check("RTM_NEWLINK veth peer");
            if (veth.peerNetns != null && veth.peerNetns.ino() != peerHandle.ino) {
                throw new IllegalArgumentException("the spec puts the peer into " + veth.peerNetns + ", but the peer"
                        + " handle " + peerHandle + " works in another namespace");
            }
            peerNs = peerHandle.ns;
        }
        String[] names = createWithRetry(spec, peerNs);
        try {
            // The kernel cannot open the peer while creating the pair (veth_open answers ENOTCONN before the
            // two are joined), so the peer goes up in a second request; the local end went up with the first.
            Link peer = peerHandle != null
                    ? peerHandle.readOrUp(names[1], spec.up)
                    : inNetns(peerNs, r -> r.readOrUp(names[1], spec.up));
            Link local = inNetns(spec.netns, r -> r.link(names[0]));
            return new VethPair(local, peer);
        } catch (RuntimeException e) {
            try {
                inNetns(spec.netns, r -> {
                    r.delete(r.link(names[0]));
                    return null;
                });
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The link named {@code name}, brought up first (by name, one request) if {@code up}. */
    private Link readOrUp(String name, boolean up) {
        if (up) {
            String op = "RTM_SETLINK " + q(name) + " up";
            check(op);
            request(
                    new NlBuilder(Nl.RTM_SETLINK, 0)
                            .ifinfomsg(Nl.AF_UNSPEC, 0, Nl.IFF_UP, Nl.IFF_UP)
                            .string(Nl.IFLA_IFNAME, name),
                    op);
        }
        return link(name);
    }

    private <T> T inNetns(NsFd target, Function<Rtnl, T> fn) {
        if (target == null || target.ino() == ino) {
            return fn.apply(this);
        }
        try (Rtnl other = open(target)) {
            return fn.apply(other);
        }
    }

    private String[] createWithRetry(LinkSpec spec) {
        return createWithRetry(spec, spec.netns);
    }

    /** {@code peerNs}: where a veth's peer goes (null: the requesting socket's namespace). */
    private String[] createWithRetry(LinkSpec spec, NsFd peerNs) {
        boolean veth = spec.kind instanceof VethKind;
        String fixedPeer = veth ? spec.vethKind().peerName : null;
        boolean randomName = spec.name == null;
        boolean randomPeer = veth && fixedPeer == null;
        if (spec.parentIndex != null && spec.parentNetnsIno != ino) {
            throw new NetnsException(
                    "RTM_NEWLINK " + spec.kind.name(),
                    "parent link (index " + spec.parentIndex + ") was read from net:[" + spec.parentNetnsIno + "], but "
                            + label + " works in net:[" + ino + "]");
        }
        String foreign = spec.kind.foreignReference(ino);
        if (foreign != null) {
            throw new NetnsException(
                    "RTM_NEWLINK " + spec.kind.name(), foreign + ", but " + label + " works in net:[" + ino + "]");
        }
        checkMaster(spec, "RTM_NEWLINK " + spec.kind.name());
        for (int attempt = 1; ; attempt++) {
            String name = randomName ? randomName(spec.effectiveNamePrefix()) : spec.name;
            String peer = veth ? (randomPeer ? randomName(spec.vethKind().peerPrefix()) : fixedPeer) : null;
            String op = "RTM_NEWLINK " + spec.kind.name() + " " + q(name) + (veth ? " peer " + q(peer) : "")
                    + spec.valuesForMessages();
            check(op);
            requireOpen(spec.netns, op);
            requireOpen(peerNs, op);
            NlBuilder m = LinkMessages.newLink(spec, name, peer, peerNs);
            try {
                request(m, op);
                return new String[] {name, peer};
            } catch (NetnsException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
                // which end is taken, and where: a fixed name cannot be helped by another draw
                boolean localTaken = exists(spec.netns, name);
                boolean peerTaken = veth && exists(peerNs, peer);
                if ((localTaken && !randomName) || (peerTaken && !randomPeer) || attempt >= NAME_ATTEMPTS) {
                    throw new NetnsException(
                            op, Errno.EEXIST, taken(localTaken, name, spec.netns, peerTaken, peer, peerNs), e);
                }
            }
        }
    }

    /** The kernel looks the master up where the link is made: it must have been read from there. */
    private void checkMaster(LinkSpec spec, String op) {
        long target = spec.netns != null ? spec.netns.ino() : ino;
        if (spec.masterIndex != null && spec.masterNetnsIno != target) {
            throw new NetnsException(
                    op,
                    "master \"" + spec.masterName + "\" (index " + spec.masterIndex + ") was read from net:["
                            + spec.masterNetnsIno + "], but the link is made in net:[" + target + "]");
        }
    }

    private String taken(boolean localTaken, String name, NsFd localNs, boolean peerTaken, String peer, NsFd peerNs) {
        List<String> taken = new ArrayList<>();
        if (localTaken) {
            taken.add(q(name) + " exists in " + where(localNs));
        }
        if (peerTaken) {
            taken.add("peer " + q(peer) + " exists in " + where(peerNs));
        }
        return taken.isEmpty() ? null : String.join("; ", taken);
    }

    private String where(NsFd target) {
        return "net:[" + (target == null ? ino : target.ino()) + "]";
    }

    private String randomName(String prefix) {
        return nameDigits == null ? LinkNames.random(prefix) : LinkNames.random(prefix, nameDigits);
    }

    /** Whether a link named {@code name} exists in {@code target} (null: this handle's namespace). */
    private boolean exists(NsFd target, String name) {
        return inNetns(target, r -> r.findLink(name).isPresent());
    }

    private Link createTap(LinkSpec spec) {
        NsFd target = spec.netns != null ? spec.netns : ns;
        boolean randomName = spec.name == null;
        checkMaster(spec, "TUNSETIFF tap");
        for (int attempt = 1; ; attempt++) {
            String name = randomName ? randomName(spec.effectiveNamePrefix()) : spec.name;
            String op = "TUNSETIFF tap " + q(name) + spec.valuesForMessages();
            check(op);
            requireOpen(target, op);
            try {
                return inNetns(target, r -> r.createTapHere(name, spec, op));
            } catch (NetnsException e) {
                if (e.errno() != Errno.EEXIST || !randomName || attempt >= NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Link createTapHere(String name, LinkSpec spec, String op) {
        if (findLink(name).isPresent()) {
            throw new NetnsException(op, Errno.EEXIST, "a link of this name exists in net:[" + ino + "]", null);
        }
        int flags = ((TapKind) spec.kind).flags();
        Netns.<RuntimeException>execute(ns, () -> TapDevice.createPersistent(name, flags, op));
        Link link = link(name);
        try {
            if (spec.mtu != null) {
                link = setMtu(link, spec.mtu);
            }
            if (spec.mac != null) {
                link = setMac(link, MacAddresses.format(spec.mac));
            }
            if (spec.txQueueLen != null) {
                link = setTxQueueLen(link, spec.txQueueLen);
            }
            if (spec.group != null) {
                link = setGroup(link, spec.group);
            }
            if (spec.masterIndex != null) {
                link = setMaster(link, link(spec.masterIndex));
            }
            if (spec.up) {
                link = setUp(link);
            }
            return link;
        } catch (RuntimeException e) {
            try {
                delete(link);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens a tap link (created with {@link LinkSpec#tap}) for reading and writing Ethernet frames. A
     * {@linkplain LinkSpec#multiQueue() multi-queue} tap can be opened again and again, each time attaching one
     * more queue; a single-queue tap only once at a time (the kernel answers {@code EBUSY}). The queue is attached
     * with the device's own options (read back first: multi-queue, virtio-net header).
     *
     * @param link a tap link of this handle's namespace
     * @return the open queue, to close
     */
    public TapDevice openTap(Link link) {
        Objects.requireNonNull(link, "link");
        return openQueues(link, 1, "TUNSETIFF open tap " + q(link.name())).get(0);
    }

    /**
     * Opens {@code queues} queues of a {@linkplain LinkSpec#multiQueue() multi-queue} tap at once: all of them,
     * or (when the kernel refuses one) none. The kernel allows 256 attached queues per tap
     * ({@code MAX_TAP_QUEUES}) and answers {@code E2BIG} beyond; a tap without {@code IFF_MULTI_QUEUE} takes one
     * ({@code EBUSY} for a second). Unlike vishvananda/netlink, whose {@code LinkAdd} of a {@code Tuntap} opens
     * its {@code Queues} as it creates the device, jnetns creates the device with no descriptor open and opens
     * queues here, so that creating holds nothing and queues can come and go.
     *
     * @param link a tap link of this handle's namespace
     * @param queues how many queues to open, at least 1
     * @return the open queues, in the order they were attached, each to close
     * @throws IllegalArgumentException if {@code queues} is less than 1 (before any system call)
     */
    public List<TapDevice> openTapQueues(Link link, int queues) {
        Objects.requireNonNull(link, "link");
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, was " + queues);
        }
        return openQueues(link, queues, "TUNSETIFF open tap " + q(link.name()) + " queues " + queues);
    }

    private List<TapDevice> openQueues(Link link, int queues, String op) {
        check(op);
        own(link, op);
        if (!"tun".equals(link.kind())) {
            throw new NetnsException(op, Errno.EINVAL, "link is of kind " + link.kind() + ", not a tap (tun)", null);
        }
        TapInfo info = tapInfoOrNull(link.index(), op);
        // before Linux 4.15 the kernel reports no tun data: attach as jnetns creates taps by default
        int flags = info != null ? info.attachFlags() : TapKind.defaultFlags();
        // an AutoCloseable result: closed by the worker if it cannot come home, since nobody would receive it
        return Netns.<TapQueues, RuntimeException>execute(ns, () -> TapQueues.open(link, flags, queues, op, info))
                .queues();
    }

    /** {@code E2BIG}: the kernel's answer to a queue beyond {@code MAX_TAP_QUEUES}. */
    private static final int E2BIG = 7;

    /** Queues opened together: closed together if they cannot all be handed over. */
    private record TapQueues(List<TapDevice> queues) implements AutoCloseable {
        static TapQueues open(Link link, int flags, int n, String op, TapInfo info) {
            List<TapDevice> opened = new ArrayList<>();
            try {
                for (int i = 1; i <= n; i++) {
                    opened.add(TapDevice.open(link, flags, n == 1 ? op : op + " (queue " + i + ")"));
                }
                return new TapQueues(List.copyOf(opened));
            } catch (RuntimeException e) {
                new TapQueues(opened).close();
                if (!(e instanceof NetnsException refused)) {
                    throw e;
                }
                String why = refused.errno() == Errno.EBUSY && (flags & NetlinkNatives.IFF_MULTI_QUEUE) == 0
                        ? "the tap is not multi-queue and has a queue open (see LinkSpec.multiQueue())"
                        : refused.errno() == E2BIG ? "the kernel allows at most 256 queues per tap" : null;
                if (why == null) {
                    throw refused;
                }
                throw new NetnsException(
                        refused.operation(), refused.errno(), why + (info == null ? "" : "; it was " + info), refused);
            }
        }

        @Override
        public void close() {
            for (TapDevice q : queues) {
                q.close();
            }
        }
    }

    /**
     * What the kernel reports of a tap (or tun) link: its options and how many queues are attached now.
     *
     * @param link a tap link of this handle's namespace
     * @return the tap's settings, as {@code ip -d link show} prints them
     * @throws NetnsException if the link is not a tun/tap, or the kernel (before 4.15) reports no tun data
     */
    public TapInfo tapInfo(Link link) {
        Objects.requireNonNull(link, "link");
        String op = "RTM_GETLINK tun data of " + q(link.name());
        check(op);
        own(link, op);
        TapInfo info = tapInfoOrNull(link.index(), op);
        if (info == null) {
            throw new NetnsException(op, "the kernel reports no tun data for it (not a tun/tap, or before Linux 4.15)");
        }
        return info;
    }

    private TapInfo tapInfoOrNull(int index, String op) {
        for (NlMessage m : request(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, index, 0, 0), op)) {
            if (m.type() == Nl.RTM_NEWLINK) {
                try {
                    return TapInfo.decode(m);
                } catch (RuntimeException e) {
                    throw Failures.translated(e);
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- namespace ids, peers in other namespaces

    /**
     * The id this handle's namespace gives {@code other} ({@code RTM_GETNSID}, as {@code ip netns list-id} shows
     * it): the number by which it names {@code other} in {@link Link#linkNetnsId()}. Reading does not assign one.
     *
     * @param other a namespace
     * @return the id, or -1 ({@code NETNSA_NSID_NOT_ASSIGNED}) when it has none
     */
    public int netnsId(NsFd other) {
        Objects.requireNonNull(other, "other");
        String op = "RTM_GETNSID net:[" + other.ino() + "]";
        check(op);
        requireOpen(other, op);
        for (NlMessage m : request(NetnsIdMessages.get(other.fd()), op)) {
            if (m.type() == Nl.RTM_NEWNSID) {
                try {
                    return NetnsIdMessages.decode(m);
                } catch (RuntimeException e) {
                    throw Failures.translated(e);
                }
            }
        }
        throw new NetnsException(op, "the kernel acknowledged but sent no id");
    }

    /**
     * Gives {@code other} the id {@code id} in this handle's namespace ({@code RTM_NEWNSID}, as
     * {@code ip netns set}). The kernel keeps an id for as long as both namespaces live and never changes it, and
     * gives ids by itself when it first has to name a namespace (a veth peer placed there, for example): set the
     * id before anything ties the two namespaces.
     *
     * @param other a namespace
     * @param id the id, 0 or more
     * @throws IllegalArgumentException if {@code id} is negative (before any system call; see
     *     {@link #ensureNetnsId(NsFd)} to let the kernel choose)
     * @throws NetnsException {@code EEXIST} when {@code other} has an id already, or {@code id} is another's
     */
    public void setNetnsId(NsFd other, int id) {
        Objects.requireNonNull(other, "other");
        if (id < 0) {
            throw new IllegalArgumentException(
                    "nsid must be 0 or more, was " + id + " (ensureNetnsId lets the kernel choose one)");
        }
        String op = "RTM_NEWNSID net:[" + other.ino() + "] nsid " + id;
        check(op);
        requireOpen(other, op);
        try {
            request(NetnsIdMessages.set(other.fd(), id), op);
        } catch (NetnsException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            int has = netnsId(other);
            String why = has >= 0
                    ? "net:[" + other.ino() + "] already has nsid " + has + " in net:[" + ino + "]"
                    : "nsid " + id + " is another namespace's in net:[" + ino + "]";
            throw new NetnsException(op, Errno.EEXIST, why, e);
        }
    }

    /**
     * The id this handle's namespace gives {@code other}, assigned first (the kernel chooses the lowest free one)
     * when it has none, as {@code ip netns set NAME auto}.
     *
     * @param other a namespace
     * @return the id, 0 or more
     */
    public int ensureNetnsId(NsFd other) {
        Objects.requireNonNull(other, "other");
        int id = netnsId(other);
        if (id >= 0) {
            return id;
        }
        String op = "RTM_NEWNSID net:[" + other.ino() + "] nsid auto";
        check(op);
        requireOpen(other, op);
        try {
            request(NetnsIdMessages.set(other.fd(), Nl.NETNSA_NSID_NOT_ASSIGNED), op);
        } catch (NetnsException e) {
            if (e.errno() != Errno.EEXIST) { // another thread or process was first: read its id
                throw e;
            }
        }
        return netnsId(other);
    }

    /**
     * Every id this handle's namespace has given ({@code RTM_GETNSID} dump, as {@code ip netns list-id}). The
     * kernel says only the ids, not which namespaces they stand for; {@link #netnsId(NsFd)} tells the id of a
     * namespace one holds.
     *
     * @return the ids, in ascending order
     */
    public List<Integer> netnsIds() {
        String op = "RTM_GETNSID dump";
        check(op);
        List<Integer> ids = new ArrayList<>(dump(NetnsIdMessages.dump(), Nl.RTM_NEWNSID, op, NetnsIdMessages::decode));
        ids.sort(null);
        return List.copyOf(ids);
    }

    /**
     * The other end of a veth as it is now, read from the namespace it lives in: here, or, when the kernel names
     * it by an id ({@link Link#linkNetnsId()}), whichever of {@code candidates} has that id in this namespace. The
     * result is a snapshot like any other, with the right {@link Link#netnsIno()} and a {@link Link#linkNetnsId()}
     * as that namespace numbers this one.
     *
     * <p>The kernel can read a link in another namespace by id ({@code IFLA_TARGET_NETNSID}, Linux 4.20), but not
     * say which namespace an id stands for, and it reports the other link's {@code IFLA_LINK_NETNSID} as the
     * asking namespace numbers namespaces (giving it an id for itself on the way), not as the link's own does: so
     * jnetns reads the peer through a handle on its namespace instead.
     *
     * @param veth a veth read from this handle's namespace
     * @param candidates namespaces the peer may be in (none needed when it is in this one)
     * @return the peer
     * @throws IllegalArgumentException if {@code veth} is not a veth (before any system call)
     * @throws NetnsException if the peer is in a namespace none of {@code candidates} is; the message says its
     *     index and nsid, and each candidate's nsid
     */
    public Link peer(Link veth, NsFd... candidates) {
        Objects.requireNonNull(veth, "veth");
        Objects.requireNonNull(candidates, "candidates");
        if (!"veth".equals(veth.kind())) {
            throw new IllegalArgumentException("link " + q(veth.name()) + " (index " + veth.index() + ") is "
                    + (veth.kind() == null ? "of no kind" : "a " + veth.kind()) + ", not a veth: it has no peer"
                    + " (see parent(link, candidates))");
        }
        return tied(veth, "peer", candidates);
    }

    /**
     * The link {@code link} sits on ({@code IFLA_LINK}: a macvlan's or vlan's parent) as it is now, read from the
     * namespace it lives in, which stays the parent's when the link moves to another namespace: here, or
     * whichever of {@code candidates} has the id the kernel names it by (see {@link #peer(Link, NsFd...)}).
     *
     * @param link a link read from this handle's namespace
     * @param candidates namespaces the parent may be in (none needed when it is in this one)
     * @return the parent
     * @throws IllegalArgumentException for a veth, whose other end is its {@linkplain #peer peer}
     * @throws NetnsException if the link has no parent, or it is in a namespace none of {@code candidates} is
     */
    public Link parent(Link link, NsFd... candidates) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(candidates, "candidates");
        if ("veth".equals(link.kind())) {
            throw new IllegalArgumentException("link " + q(link.name()) + " is a veth: its other end is its peer, not"
                    + " a parent (see peer(veth, candidates))");
        }
        return tied(link, "parent", candidates);
    }

    private Link tied(Link link, String role, NsFd[] candidates) {
        String op = "RTM_GETLINK " + role + " of " + q(link.name());
        check(op);
        own(link, op);
        for (int i = 0; i < candidates.length; i++) {
            Objects.requireNonNull(candidates[i], "candidates[" + i + "]");
            requireOpen(candidates[i], op);
        }
        Link now = link(link.index());
        if (now.linkIndex() == 0 || (now.linkIndex() == now.index() && now.linkNetnsId() < 0)) {
            throw new NetnsException(op, "the kernel reports no " + role + " (IFLA_LINK) for it: " + now);
        }
        if (now.linkNetnsId() < 0) {
            return link(now.linkIndex());
        }
        List<String> seen = new ArrayList<>();
        for (NsFd candidate : candidates) {
            int id = netnsId(candidate);
            if (id == now.linkNetnsId()) {
                return inNetns(candidate, r -> r.link(now.linkIndex()));
            }
            seen.add("net:[" + candidate.ino() + "] " + (id < 0 ? "has no nsid" : "is nsid " + id));
        }
        throw new NetnsException(
                op,
                "its " + role + " (index " + now.linkIndex() + ") is in the namespace net:[" + ino + "] names nsid "
                        + now.linkNetnsId() + ", which "
                        + (seen.isEmpty()
                                ? "no candidate was given for"
                                : "no candidate is (" + String.join(", ", seen) + ")")
                        + ": pass an open NsFd of it");
    }

    // ---------------------------------------------------------------- links: changing

    private Link setLink(Link link, String what, int flags, int change, Consumer<NlBuilder> attrs) {
        String op = "RTM_SETLINK " + q(link.name()) + " " + what;
        check(op);
        own(link, op);
        NlBuilder m = new NlBuilder(Nl.RTM_SETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, link.index(), flags, change);
        attrs.accept(m);
        request(m, op);
        return link(link.index());
    }

    /**
     * Sets the link administratively up ({@code IFF_UP}); returns the new snapshot.
     *
     * @param link a link read from this handle's namespace
     * @return the link as it is now
     */
    public Link setUp(Link link) {
        Objects.requireNonNull(link, "link");
        return setLink(link, "up", Nl.IFF_UP, Nl.IFF_UP, m -> {});
    }

    /**
     * Sets the link administratively down; returns the new snapshot.
     *
     * @param link a link read from this handle's namespace
     * @return the link as it is now
     */
    public Link setDown(Link link) {
        Objects.requireNonNull(link, "link");
        return setLink(link, "down", 0, Nl.IFF_UP, m -> {});
    }

    /**
     * Renames the link. Linux 6.2 and later rename a link that is up too; older kernels refuse that with
     * {@code EBUSY}: set it down first there.
     *
     * @param link a link read from this handle's namespace
     * @param newName the new name (at most 15 bytes, no {@code /}, {@code :} or whitespace)
     * @return the link as it is now
     * @throws IllegalArgumentException if {@code newName} is invalid (before any system call)
     */
    public Link rename(Link link, String newName) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(newName, "newName");
        LinkNames.check(newName);
        return setLink(link, "name " + q(newName), 0, 0, m -> m.string(Nl.IFLA_IFNAME, newName));
    }

    /**
     * Sets the MAC address.
     *
     * @param link a link read from this handle's namespace
     * @return the link as it is now
     * @param mac {@code aa:bb:cc:dd:ee:ff}
     * @throws IllegalArgumentException if it is not such an address
     */
    public Link setMac(Link link, String mac) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(mac, "mac");
        byte[] bytes = MacAddresses.parse(mac);
        return setLink(link, "address " + mac, 0, 0, m -> m.attr(Nl.IFLA_ADDRESS, bytes));
    }

    /**
     * Sets the MTU.
     *
     * @param link a link read from this handle's namespace
     * @param mtu the MTU
     * @return the link as it is now
     */
    public Link setMtu(Link link, int mtu) {
        Objects.requireNonNull(link, "link");
        if (mtu <= 0) {
            throw new IllegalArgumentException("MTU must be positive, was " + mtu);
        }
        return setLink(link, "mtu " + mtu, 0, 0, m -> m.u32(Nl.IFLA_MTU, mtu));
    }

    /**
     * Sets the alias ({@code IFLA_IFALIAS}), or removes it when {@code alias} is {@code null} or empty.
     *
     * @param link a link read from this handle's namespace
     * @param alias the alias
     * @return the link as it is now
     * @throws IllegalArgumentException if longer than 255 bytes
     */
    public Link setAlias(Link link, String alias) {
        Objects.requireNonNull(link, "link");
        byte[] bytes = alias == null ? new byte[0] : alias.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("alias is " + bytes.length + " bytes; at most 255 are allowed");
        }
        return setLink(link, "alias " + q(alias == null ? "" : alias), 0, 0, m -> m.attr(Nl.IFLA_IFALIAS, bytes));
    }

    /**
     * Turns promiscuous mode ({@code IFF_PROMISC}) on or off.
     *
     * @param link a link read from this handle's namespace
     * @param on {@code true} to turn it on
     * @return the link as it is now
     */
    public Link setPromiscuous(Link link, boolean on) {
        Objects.requireNonNull(link, "link");
        return setLink(link, "promisc " + (on ? "on" : "off"), on ? Nl.IFF_PROMISC : 0, Nl.IFF_PROMISC, m -> {});
    }

    /**
     * Sets the transmit queue length ({@code IFLA_TXQLEN}, {@code ip link set ... txqueuelen}).
     *
     * @param link a link read from this handle's namespace
     * @param txQueueLen packets, 0 or more
     * @return the link as it is now
     * @throws IllegalArgumentException if it is negative (before any system call)
     */
    public Link setTxQueueLen(Link link, int txQueueLen) {
        Objects.requireNonNull(link, "link");
        LinkSpec.checkTxQueueLen(txQueueLen);
        return setLink(link, "txqlen " + txQueueLen, 0, 0, m -> m.u32(Nl.IFLA_TXQLEN, txQueueLen));
    }

    /**
     * Puts the link into a device group ({@code IFLA_GROUP}, {@code ip link set ... group}); 0 is {@code default}.
     *
     * @param link a link read from this handle's namespace
     * @param group 0 or more
     * @return the link as it is now
     * @throws IllegalArgumentException if it is negative (before any system call)
     */
    public Link setGroup(Link link, int group) {
        Objects.requireNonNull(link, "link");
        LinkSpec.checkGroup(group);
        return setLink(link, "group " + group, 0, 0, m -> m.u32(Nl.IFLA_GROUP, group));
    }

    /**
     * Changes an existing link with a spec of its kind: its kind data ({@code IFLA_INFO_DATA}, the typed settings
     * and {@link LinkSpec#infoData raw} ones) and the settings the spec sets (MTU, MAC, queue length, group,
     * master, up), in one {@code RTM_NEWLINK} without {@code NLM_F_CREATE}, as {@code ip link set NAME type KIND
     * ...} and vishvananda/netlink's {@code LinkModify} do. For example a macvlan's mode:
     * {@code rtnl.modify(mv, LinkSpec.macvlan(null, parent).mode(MacvlanMode.PRIVATE))}. Each kind's driver decides
     * what may change: vxlan takes its VNI unchanged but refuses another ({@code EOPNOTSUPP}, "Cannot change VNI")
     * and refuses a port even unchanged ("Cannot change port"), so leave the port out; macvlan refuses a change to
     * or from passthru ({@code EINVAL}). The kind's typed settings are sent with their defaults when not set (a
     * macvlan's mode is bridge); the parent is not sent (it cannot change).
     *
     * @param link a link read from this handle's namespace
     * @param spec a spec of the link's kind; without a name or with the link's own, no other namespace, no numbers
     *     of queues (fixed at creation)
     * @return the link as it is now
     * @throws IllegalArgumentException if the spec is of another kind, a veth or a tap (which have no kind data to
     *     change), names another name, namespace or parent, or sets numbers of queues (before any system call)
     * @throws NetnsException if the kernel refuses, naming the link, the values sent and the kernel's reason
     */
    public Link modify(Link link, LinkSpec spec) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(spec, "spec");
        String kind = spec.kind.name();
        if (spec.kind instanceof VethKind || kind.equals("tap")) {
            throw new IllegalArgumentException(
                    "modify cannot change a " + kind + " (no kind data to change); use the" + " setters, e.g. setMtu");
        }
        if (!kind.equals(link.kind())) {
            throw new IllegalArgumentException("modify needs a spec of the link's kind: link \"" + link.name()
                    + "\" is of kind " + link.kind() + ", the spec of kind " + kind);
        }
        if (spec.name != null && !spec.name.equals(link.name())) {
            throw new IllegalArgumentException("modify does not rename (spec names \"" + spec.name
                    + "\", the link is \"" + link.name() + "\"); use rename");
        }
        if (spec.netns != null) {
            throw new IllegalArgumentException("modify does not move a link to another namespace; use moveTo");
        }
        if (spec.numTxQueues != null || spec.numRxQueues != null) {
            throw new IllegalArgumentException(
                    "modify cannot change the numbers of queues: they are fixed at creation");
        }
        if (spec.parentIndex != null
                && (spec.parentNetnsIno != link.netnsIno() || spec.parentIndex != link.linkIndex())) {
            throw new IllegalArgumentException("modify cannot change the parent: the spec names \"" + spec.parentName
                    + "\" (index " + spec.parentIndex + "), the link's is index " + link.linkIndex());
        }
        String op = "RTM_NEWLINK modify " + kind + " " + q(link.name()) + spec.valuesForMessages();
        check(op);
        own(link, op);
        checkMaster(spec, op);
        request(LinkMessages.modify(spec, link.index()), op);
        return link(link.index());
    }

    /**
     * The link's counters now ({@code IFLA_STATS64}, as {@code ip -s link}): packets, bytes, errors and drops.
     * They are not part of {@link Link}, whose snapshots compare equal while the link is unchanged.
     *
     * @param link a link read from this handle's namespace
     * @return the counters
     * @throws NetnsException {@code ENODEV} if the link is gone
     */
    public LinkStats stats(Link link) {
        Objects.requireNonNull(link, "link");
        String op = "RTM_GETLINK " + q(link.name()) + " stats";
        check(op);
        own(link, op);
        for (NlMessage m : request(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, link.index(), 0, 0), op)) {
            if (m.type() == Nl.RTM_NEWLINK) {
                LinkStats stats;
                try {
                    stats = LinkStats.decode(m);
                } catch (RuntimeException e) {
                    throw Failures.translated(e);
                }
                if (stats == null) {
                    throw new NetnsException(op, "the kernel sent no IFLA_STATS64 or IFLA_STATS");
                }
                return stats;
            }
        }
        throw new NetnsException(op, Errno.ENODEV, "the kernel acknowledged but sent no link", null);
    }

    /**
     * Makes {@code link} a port of {@code master} (a bridge of the same namespace).
     *
     * @param link a link read from this handle's namespace
     * @param master the bridge (or other master) of this handle's namespace
     * @return the link as it is now
     */
    public Link setMaster(Link link, Link master) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(master, "master");
        own(master, "RTM_SETLINK " + q(link.name()) + " master " + q(master.name()));
        return setLink(link, "master " + q(master.name()), 0, 0, m -> m.u32(Nl.IFLA_MASTER, master.index()));
    }

    /**
     * Removes {@code link} from its master ({@code nomaster}).
     *
     * @param link a link read from this handle's namespace
     * @return the link as it is now
     */
    public Link setNoMaster(Link link) {
        Objects.requireNonNull(link, "link");
        return setLink(link, "nomaster", 0, 0, m -> m.u32(Nl.IFLA_MASTER, 0));
    }

    /**
     * Moves the link into another namespace ({@code IFLA_NET_NS_FD}); it keeps its name (and goes down).
     *
     * @param link a link read from this handle's namespace
     * @param target the namespace to move it to
     * @return the link as read from {@code target}
     */
    public Link moveTo(Link link, NsFd target) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(target, "target");
        String op = "RTM_SETLINK " + q(link.name()) + " netns net:[" + target.ino() + "]";
        check(op);
        own(link, op);
        requireOpen(target, op);
        NlBuilder m = new NlBuilder(Nl.RTM_SETLINK, 0)
                .ifinfomsg(Nl.AF_UNSPEC, link.index(), 0, 0)
                .u32(Nl.IFLA_NET_NS_FD, target.fd());
        request(m, op);
        return inNetns(target, r -> r.link(link.name()));
    }

    /**
     * Deletes the link (for a veth, both ends go).
     *
     * @param link a link read from this handle's namespace
     */
    public void delete(Link link) {
        Objects.requireNonNull(link, "link");
        String op = "RTM_DELLINK " + q(link.name());
        check(op);
        own(link, op);
        request(new NlBuilder(Nl.RTM_DELLINK, 0).ifinfomsg(Nl.AF_UNSPEC, link.index(), 0, 0), op);
    }

    /**
     * Waits until the link is operationally up: {@code IFF_UP} and operational state {@link OperState#UP} or
     * {@link OperState#UNKNOWN}. Polls every few milliseconds.
     *
     * @param link a link read from this handle's namespace
     * @param timeout how long to wait at most
     * @return the snapshot that was up
     * @throws NetnsException on timeout, with the last seen state
     */
    public Link waitUntilUp(Link link, Duration timeout) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(timeout, "timeout");
        String op = "waitUntilUp " + q(link.name());
        check(op);
        own(link, op);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (true) {
            Link now = link(link.index());
            if (now.isOperationallyUp()) {
                return now;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new NetnsException(
                        op,
                        "not operationally up after " + timeout + ": last seen operstate "
                                + now.operState() + (now.isUp() ? ", administratively up" : ", administratively DOWN")
                                + (now.isLowerUp() ? "" : ", no carrier") + " (" + now + ")");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NetnsException(op, "interrupted while waiting");
            }
            pause = Math.min(pause * 2, 20);
        }
    }

    // ---------------------------------------------------------------- addresses

    /**
     * Adds an address, e.g. {@code "10.1.0.1/24"} or {@code "fd00::1/64"}.
     *
     * @param link a link read from this handle's namespace
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     * @param options e.g. {@link AddressOption#NO_DAD}
     * @throws IllegalArgumentException if the CIDR is invalid (before any system call)
     */
    public void addAddress(Link link, String cidr, AddressOption... options) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(options, "options");
        addAddress(link, IpPrefix.parse(cidr), options);
    }

    /**
     * Adds an address with its prefix length to the link.
     *
     * @param link a link read from this handle's namespace
     * @param prefix the address with its prefix length
     * @param options e.g. {@link AddressOption#NO_DAD}
     */
    public void addAddress(Link link, IpPrefix prefix, AddressOption... options) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(options, "options");
        addAddress(link, AddressSpec.of(prefix).options(options));
    }

    /**
     * Adds an address with everything {@code ip addr add} can say: peer, label, scope, lifetimes, flags
     * ({@code NLM_F_CREATE | NLM_F_EXCL}).
     *
     * @param link a link read from this handle's namespace
     * @param spec e.g. {@code AddressSpec.of("10.1.0.1/24").label("veth0:a")}
     * @throws IllegalArgumentException if a label does not begin with the link's name (before any system call)
     * @throws NetnsException e.g. {@code EEXIST} when the link has the address already
     */
    public void addAddress(Link link, AddressSpec spec) {
        address(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, link, spec);
    }

    /**
     * Adds an address, or changes the one the link has with the same local address and prefix length
     * ({@code NLM_F_CREATE | NLM_F_REPLACE}, {@code ip addr replace}, vishvananda/netlink's {@code AddrReplace}):
     * the lifetimes change in place. What else changes depends on the family (checked on 6.18): IPv6 takes the
     * spec's flags anew, IPv4 keeps its flags, and both keep their label, scope and peer (to change those, delete
     * the address and add it again).
     *
     * @param link a link read from this handle's namespace
     * @param spec the address as it should be
     * @throws IllegalArgumentException if a label does not begin with the link's name (before any system call)
     */
    public void replaceAddress(Link link, AddressSpec spec) {
        address(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, link, spec);
    }

    private void address(int type, int nlFlags, Link link, AddressSpec spec) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(spec, "spec");
        // iproute2 and vishvananda/netlink ask this of a label; the kernel would take any
        if (spec.label() != null && !spec.label().startsWith(link.name())) {
            throw new IllegalArgumentException(
                    "label \"" + spec.label() + "\" must begin with the link's name \"" + link.name() + "\"");
        }
        String op = Nl.typeName(type) + " " + spec + " on " + q(link.name());
        check(op);
        own(link, op);
        request(AddressMessages.encode(type, nlFlags, link.index(), spec), op);
    }

    /**
     * Removes an address from the link.
     *
     * @param link a link read from this handle's namespace
     * @param cidr e.g. {@code 10.1.0.1/24} or {@code fd00::1/64}
     */
    public void deleteAddress(Link link, String cidr) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(cidr, "cidr");
        deleteAddress(link, IpPrefix.parse(cidr));
    }

    /**
     * Removes an address with a point-to-point peer from the link, as {@code ip addr del LOCAL peer PEER}: the kernel
     * matches IPv4 addresses on their peer, so that {@link #deleteAddress(Link, String)} with the local address
     * alone answers {@code EADDRNOTAVAIL} for them (as {@code ip addr del LOCAL} does). Only the address, prefix
     * length and peer of the spec count; the kernel compares the peer within the address's prefix, so any peer in
     * the prefix of an ordinary address matches it too.
     *
     * @param link a link read from this handle's namespace
     * @param spec e.g. {@code AddressSpec.of("10.9.0.1/32").peer("10.9.0.2")}
     */
    public void deleteAddress(Link link, AddressSpec spec) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(spec, "spec");
        String op = "RTM_DELADDR " + spec.prefix()
                + (spec.peer() != null ? " peer " + IpPrefix.format(spec.peer()) : "") + " on " + q(link.name());
        check(op);
        own(link, op);
        request(AddressMessages.delete(link.index(), spec.prefix(), spec.peer()), op);
    }

    /**
     * Removes an address from the link.
     *
     * @param link a link read from this handle's namespace
     * @param prefix the address with its prefix length
     */
    public void deleteAddress(Link link, IpPrefix prefix) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(prefix, "prefix");
        String op = "RTM_DELADDR " + prefix + " on " + q(link.name());
        check(op);
        own(link, op);
        request(AddressMessages.delete(link.index(), prefix, null), op);
    }

    /**
     * All addresses of the namespace, IPv4 and IPv6.
     *
     * @return the addresses
     */
    public List<Address> addresses() {
        String op = "RTM_GETADDR dump";
        check(op);
        return dump(
                new NlBuilder(Nl.RTM_GETADDR, 0).ifaddrmsg(Nl.AF_UNSPEC, 0, 0, 0, 0),
                Nl.RTM_NEWADDR,
                op,
                AddressMessages::decode);
    }

    /**
     * The addresses of one link.
     *
     * @param link a link read from this handle's namespace
     * @return the addresses
     */
    public List<Address> addresses(Link link) {
        Objects.requireNonNull(link, "link");
        own(link, "RTM_GETADDR " + q(link.name()));
        return onLink(addresses(), Address::linkIndex, link);
    }

    // ---------------------------------------------------------------- neighbours

    /**
     * Adds a permanent neighbour entry ({@code ip neigh add IP lladdr MAC dev LINK nud permanent}): the namespace
     * sends to {@code ip} at {@code mac} without ARP or neighbour discovery, and never forgets it. Tests use it to
     * skip resolution delays, or to point an address at a MAC on purpose.
     *
     * @param link a link read from this handle's namespace
     * @param ip a numeric IPv4 or IPv6 address
     * @param mac e.g. {@code 02:00:00:00:00:02}
     * @throws IllegalArgumentException if the address or MAC is malformed (before any system call)
     * @throws NetnsException e.g. {@code EEXIST} when the link has an entry for {@code ip} already
     */
    public void addNeighbour(Link link, String ip, String mac) {
        requireNonNulls(link, ip, mac);
        neighbour(Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, link, ip, mac);
    }

    private static void requireNonNulls(Link link, String ip, String mac) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
    }

    /**
     * Adds a permanent neighbour entry, or turns the one there is into it ({@code ip neigh replace}).
     *
     * @param link a link read from this handle's namespace
     * @param ip a numeric IPv4 or IPv6 address
     * @param mac e.g. {@code 02:00:00:00:00:02}
     * @throws IllegalArgumentException if the address or MAC is malformed (before any system call)
     */
    public void replaceNeighbour(Link link, String ip, String mac) {
        requireNonNulls(link, ip, mac);
        neighbour(Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, link, ip, mac);
    }

    /**
     * Deletes the link's neighbour entry for {@code ip}, whatever its state ({@code ip neigh del}).
     *
     * @param link a link read from this handle's namespace
     * @param ip a numeric IPv4 or IPv6 address
     * @throws NetnsException {@code ENOENT} when there is none
     */
    public void deleteNeighbour(Link link, String ip) {
        neighbour(Nl.RTM_DELNEIGH, 0, link, ip, null);
    }

    private void neighbour(int type, int nlFlags, Link link, String ip, String mac) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(ip, "ip");
        InetAddress address = IpPrefix.parseAddress(ip);
        byte[] lladdr = mac != null ? MacAddresses.parse(mac) : null;
        String op = Nl.typeName(type) + " " + IpPrefix.format(address) + (mac != null ? " lladdr " + mac : "") + " on "
                + q(link.name());
        check(op);
        own(link, op);
        request(
                NeighbourMessages.encode(
                        type, nlFlags, link.index(), address, lladdr, mac != null ? Nl.NUD_PERMANENT : 0),
                op);
    }

    /**
     * The neighbour tables of the namespace, IPv4 (ARP) and IPv6 (NDP), in every state, as {@code ip neigh show nud
     * all} and vishvananda/netlink's {@code NeighList} (plain {@code ip neigh} hides the kernel's own {@code NOARP}
     * entries, such as IPv6 multicast groups). Bridge forwarding entries ({@code AF_BRIDGE}, {@code bridge fdb}) are
     * not neighbours and not listed.
     *
     * @return the entries
     */
    public List<Neighbour> neighbours() {
        String op = "RTM_GETNEIGH dump";
        check(op);
        return dump(NeighbourMessages.dump(), Nl.RTM_NEWNEIGH, op, NeighbourMessages::decode);
    }

    /**
     * The neighbour entries of one link.
     *
     * @param link a link read from this handle's namespace
     * @return the entries
     */
    public List<Neighbour> neighbours(Link link) {
        Objects.requireNonNull(link, "link");
        own(link, "RTM_GETNEIGH " + q(link.name()));
        return onLink(neighbours(), Neighbour::linkIndex, link);
    }

    // ---------------------------------------------------------------- routes

    /**
     * Adds a route ({@code NLM_F_CREATE | NLM_F_EXCL}).
     *
     * @param route the route, see {@link Route#to(String)} and {@link Route#defaultVia(String)}
     * @throws NetnsException e.g. {@code EEXIST}, or {@code ENETUNREACH} when the gateway is not reachable
     */
    public void addRoute(Route route) {
        Objects.requireNonNull(route, "route");
        route(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, route);
    }

    /**
     * Deletes a route matching {@code route}'s destination, table and (when given) gateway and link.
     *
     * @param route the route, see {@link Route#to(String)} and {@link Route#defaultVia(String)}
     */
    public void deleteRoute(Route route) {
        route(Nl.RTM_DELROUTE, 0, route);
    }

    private void route(int type, int nlFlags, Route route) {
        Objects.requireNonNull(route, "route");
        String op = Nl.typeName(type) + " " + route;
        check(op);
        if (route.oifNetnsIno() != 0 && route.oifNetnsIno() != ino) {
            throw new NetnsException(
                    op,
                    "its link (index " + route.oifIndex() + ") was read from net:[" + route.oifNetnsIno() + "], but "
                            + label + " works in net:[" + ino + "]");
        }
        request(RouteMessages.encode(type, nlFlags, route), op);
    }

    /**
     * The routes of the main table, IPv4 and IPv6.
     *
     * @return the routes
     */
    public List<Route> routes() {
        return routes(Route.TABLE_MAIN);
    }

    /**
     * The routes of one table, or of every table ({@link Route#TABLE_ALL}, as {@code ip route show table all}:
     * the local table too), IPv4 and IPv6.
     *
     * @param table e.g. {@link Route#TABLE_MAIN}, {@code 100}, {@link Route#TABLE_LOCAL} or {@link Route#TABLE_ALL}
     * @return the routes
     * @throws IllegalArgumentException if {@code table} is negative
     */
    public List<Route> routes(int table) {
        if (table < 0) {
            throw new IllegalArgumentException("table must be 0 (all) or positive, was " + table);
        }
        String op = "RTM_GETROUTE dump";
        check(op);
        List<Route> out = new ArrayList<>();
        for (Route r : dump(
                new NlBuilder(Nl.RTM_GETROUTE, 0).rtmsg(Nl.AF_UNSPEC, 0, 0, 0, 0, 0, 0),
                Nl.RTM_NEWROUTE,
                op,
                RouteMessages::decode)) {
            if (r != null && (table == Route.TABLE_ALL || r.table() == table)) {
                out.add(r.readFrom(ino));
            }
        }
        return out;
    }

    /**
     * Adds a route, or replaces the one with the same destination, table, TOS and metric ({@code ip route
     * replace}: {@code NLM_F_CREATE | NLM_F_REPLACE}), as netlink's {@code RouteReplace}.
     *
     * @param route the route, see {@link Route#to(String)}
     * @throws NetnsException e.g. {@code ENETUNREACH} when the gateway is not reachable
     */
    public void replaceRoute(Route route) {
        Objects.requireNonNull(route, "route");
        route(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, route);
    }

    /**
     * Changes an existing route with the same destination, table, TOS and metric ({@code ip route change}:
     * {@code NLM_F_REPLACE} without {@code NLM_F_CREATE}), as netlink's {@code RouteChange}.
     *
     * @param route the route, see {@link Route#to(String)}
     * @throws NetnsException {@code ENOENT} if there is no such route to change
     */
    public void changeRoute(Route route) {
        Objects.requireNonNull(route, "route");
        route(Nl.RTM_NEWROUTE, Nl.NLM_F_REPLACE, route);
    }

    /**
     * The route the kernel would choose for packets to {@code destination}, as {@code ip route get}: its
     * destination is the address itself ({@code /32} or {@code /128}), its type {@link Route#RTN_LOCAL} for an
     * address of the namespace, its table the one it was found in (main, or the table of a rule's choice).
     *
     * @param destination a numeric IPv4 or IPv6 address
     * @return the route
     * @throws NetnsException when the kernel has none: {@code ENETUNREACH} (no route), {@code EHOSTUNREACH} (an
     *     unreachable route), {@code EACCES} (prohibit), {@code EINVAL} (IPv4 blackhole)
     */
    public Route routeGet(String destination) {
        Objects.requireNonNull(destination, "destination");
        return routeGet(IpPrefix.parseAddress(destination));
    }

    /**
     * The route the kernel would choose for packets to {@code destination}; see {@link #routeGet(String)}.
     *
     * @param destination an IPv4 or IPv6 address
     * @return the route
     */
    public Route routeGet(InetAddress destination) {
        Objects.requireNonNull(destination, "destination");
        String op = "RTM_GETROUTE get " + IpPrefix.format(destination);
        check(op);
        for (NlMessage m : request(RouteMessages.get(destination), op)) {
            if (m.type() == Nl.RTM_NEWROUTE) {
                List<Route> decoded = decodeAll(List.of(m), Nl.RTM_NEWROUTE, RouteMessages::decode);
                if (!decoded.isEmpty()) {
                    return decoded.get(0).readFrom(ino);
                }
            }
        }
        throw new NetnsException(op, Errno.ENETUNREACH, "the kernel acknowledged but sent no route", null);
    }

    // ---------------------------------------------------------------- qdiscs

    /**
     * Adds a root qdisc to the link (fails with {@code EEXIST} if one was added before; see
     * {@link #replaceQdisc}).
     *
     * @param link a link read from this handle's namespace
     * @param spec what to create
     * @throws NetnsException with the kernel's reason, e.g. {@code ENOENT}: "Specified qdisc kind is unknown."
     *     for netem on a kernel without it
     */
    public void addQdisc(Link link, QdiscSpec spec) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(spec, "spec");
        qdisc(Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, "add", link, spec);
    }

    /**
     * Adds or replaces the link's root qdisc.
     *
     * @param link a link read from this handle's namespace
     * @param spec what to create
     */
    public void replaceQdisc(Link link, QdiscSpec spec) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(spec, "spec");
        qdisc(Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, "replace", link, spec);
    }

    /**
     * Deletes the link's root qdisc (the kernel restores the default).
     *
     * @param link a link read from this handle's namespace
     */
    public void deleteQdisc(Link link) {
        Objects.requireNonNull(link, "link");
        String op = "RTM_DELQDISC root on " + q(link.name());
        check(op);
        own(link, op);
        request(new NlBuilder(Nl.RTM_DELQDISC, 0).tcmsg(Nl.AF_UNSPEC, link.index(), 0, Nl.TC_H_ROOT), op);
    }

    private void qdisc(int nlFlags, String verb, Link link, QdiscSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String op = "RTM_NEWQDISC " + verb + " " + spec.kind.name() + " root on " + q(link.name());
        check(op);
        own(link, op);
        request(QdiscMessages.encode(nlFlags, link.index(), spec), op);
    }

    /**
     * All qdiscs of the namespace.
     *
     * @return the qdiscs
     */
    public List<Qdisc> qdiscs() {
        String op = "RTM_GETQDISC dump";
        check(op);
        return dump(
                new NlBuilder(Nl.RTM_GETQDISC, 0).tcmsg(Nl.AF_UNSPEC, 0, 0, 0),
                Nl.RTM_NEWQDISC,
                op,
                QdiscMessages::decode);
    }

    /**
     * The qdiscs of one link.
     *
     * @param link a link read from this handle's namespace
     * @return the qdiscs
     */
    public List<Qdisc> qdiscs(Link link) {
        Objects.requireNonNull(link, "link");
        own(link, "RTM_GETQDISC " + q(link.name()));
        return onLink(qdiscs(), Qdisc::linkIndex, link);
    }

    /** Sends a request and waits for the kernel's ack; the replies before it. */
    private List<NlMessage> request(NlBuilder request, String op) {
        try {
            return socket.request(request, op);
        } catch (RuntimeException e) {
            throw Failures.translated(e);
        }
    }

    /** The messages of a dump. */
    private List<NlMessage> dumpMessages(NlBuilder request, String op) {
        try {
            return socket.dump(request, op);
        } catch (RuntimeException e) {
            throw Failures.translated(e);
        }
    }

    private Link decodeLink(NlMessage m) {
        try {
            return Link.decode(m, ino);
        } catch (RuntimeException e) {
            throw Failures.translated(e);
        }
    }

    /** A dump: every reply of {@code replyType}, decoded. */
    private <T> List<T> dump(NlBuilder request, int replyType, String op, Function<NlMessage, T> decode) {
        return decodeAll(dumpMessages(request, op), replyType, decode);
    }

    /** Every message of {@code replyType}, decoded, but for those the decoder skips (returns null for). */
    static <T> List<T> decodeAll(List<NlMessage> messages, int replyType, Function<NlMessage, T> decode) {
        List<T> out = new ArrayList<>();
        for (NlMessage m : messages) {
            if (m.type() == replyType) {
                T decoded;
                try {
                    decoded = decode.apply(m);
                } catch (RuntimeException e) {
                    throw Failures.translated(e);
                }
                if (decoded != null) {
                    out.add(decoded);
                }
            }
        }
        return out;
    }

    private static <T> List<T> onLink(List<T> all, java.util.function.ToIntFunction<T> index, Link link) {
        List<T> out = new ArrayList<>();
        for (T each : all) {
            if (index.applyAsInt(each) == link.index()) {
                out.add(each);
            }
        }
        return out;
    }
}
