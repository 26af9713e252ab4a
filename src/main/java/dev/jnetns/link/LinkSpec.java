package dev.jnetns.link;

import dev.jnetns.NsFd;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Rtnl#create(LinkSpec)} should create: a kind, a name (random when none is given) and settings.
 * A fluent builder; its methods return {@code this}. Names are checked when set, so an invalid one fails with
 * {@link IllegalArgumentException} before any system call. Settings that do not apply to the kind throw
 * {@link IllegalStateException}. For a veth, the MTU, the transmit queue length and the numbers of queues apply to
 * both ends (as in vishvananda/netlink; {@link #peerMtu(int)} sets the peer's own), {@link #up()} too; the MAC, the
 * group and the master to the local end only ({@link #peerMac(String)} sets the peer's).
 *
 * <pre>{@code
 * rtnl.createVeth(LinkSpec.veth("a").peer("b").peerNetns(other).mtu(1400).up());
 * rtnl.create(LinkSpec.bridge("br0").up());
 * rtnl.create(LinkSpec.vxlan("vx0", 42).remote("10.1.0.2").port(4789).device(underlay));
 * rtnl.create(LinkSpec.macvlan("mv0", parent).mode(MacvlanMode.BRIDGE).netns(target));
 * }</pre>
 */
public final class LinkSpec {
    final LinkKind kind;
    String name;
    Integer mtu;
    byte[] mac;
    boolean up;
    NsFd netns;
    // IFLA_LINK, for kinds that sit on a parent (macvlan, vlan, ipvlan...)
    Integer parentIndex;
    String parentName;
    long parentNetnsIno;
    Integer txQueueLen;
    Integer numTxQueues;
    Integer numRxQueues;
    Integer group;
    // IFLA_MASTER at creation
    Integer masterIndex;
    String masterName;
    long masterNetnsIno;
    // how a random name begins (null: the kind's prefix)
    String namePrefix;
    // raw IFLA_INFO_DATA attributes, sent after the kind's typed ones
    final Map<Integer, byte[]> infoData = new LinkedHashMap<>();

    private LinkSpec(LinkKind kind, String name) {
        this.kind = kind;
        this.name = name == null ? null : LinkNames.check(name);
    }

    /**
     * A veth pair; name the peer with {@link #peer(String)} (random otherwise).
     *
     * @param name the local end's name, or {@code null} for a random {@code veth} and 11 hex digits
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid (see {@link LinkNames#check})
     */
    public static LinkSpec veth(String name) {
        return new LinkSpec(new VethKind(), name);
    }

    /**
     * A veth pair with random names for both ends.
     *
     * @return the spec
     */
    public static LinkSpec veth() {
        return veth(null);
    }

    /**
     * A bridge.
     *
     * @param name the name, or {@code null} for a random {@code br...}
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid
     */
    public static LinkSpec bridge(String name) {
        return new LinkSpec(PlainKind.bridge(), name);
    }

    /**
     * A VXLAN link with VXLAN network identifier {@code vni}.
     *
     * @param name the name, or {@code null} for a random {@code vx...}
     * @param vni the VXLAN network identifier, 0 to 16777215
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid or the VNI out of range
     */
    public static LinkSpec vxlan(String name, int vni) {
        if (vni < 0 || vni > 0xffffff) {
            throw new IllegalArgumentException("VNI " + vni + " out of range 0-16777215");
        }
        return new LinkSpec(new VxlanKind(vni), name);
    }

    /**
     * A macvlan on {@code parent} (a link in the namespace of the handle that creates it), mode bridge unless
     * {@link #mode(MacvlanMode)} says otherwise. With {@link #netns(NsFd)} it is created straight in another
     * namespace while the parent stays.
     *
     * @param name the name, or {@code null} for a random {@code mv...}
     * @param parent the link it sits on
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid
     */
    public static LinkSpec macvlan(String name, Link parent) {
        Objects.requireNonNull(parent, "parent");
        LinkSpec spec = new LinkSpec(new MacvlanKind(), name);
        spec.setParent(parent);
        return spec;
    }

    /**
     * A persistent tap device (created through {@code /dev/net/tun}, {@code TUNSETIFF} + {@code TUNSETPERSIST});
     * open it for frames with {@link Rtnl#openTap(Link)}. Its kind reads back as {@code tun}. Options:
     * {@link #multiQueue()}, {@link #vnetHeader()}.
     *
     * @param name the name, or {@code null} for a random {@code tap...}
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid
     */
    public static LinkSpec tap(String name) {
        return new LinkSpec(new TapKind(), name);
    }

    /**
     * Makes a {@link #tap} multi-queue ({@code IFF_MULTI_QUEUE}): several descriptors can attach to it, each a
     * queue of its own; open them with {@link Rtnl#openTapQueues(Link, int)} or {@link Rtnl#openTap(Link)}
     * repeatedly. The kernel gives such a device 256 transmit and receive queues ({@code MAX_TAP_QUEUES}).
     *
     * @return this spec
     * @throws IllegalStateException if this is not a tap
     */
    public LinkSpec multiQueue() {
        kindData(TapKind.class, "multiQueue").multiQueue = true;
        return this;
    }

    /**
     * Gives a {@link #tap} the virtio-net header ({@code IFF_VNET_HDR}): every frame read from or written to its
     * queues starts with a {@code struct virtio_net_hdr} (10 bytes), see {@link TapDevice#vnetHeaderSize()}.
     *
     * @return this spec
     * @throws IllegalStateException if this is not a tap
     */
    public LinkSpec vnetHeader() {
        kindData(TapKind.class, "vnetHeader").vnetHeader = true;
        return this;
    }

    /**
     * An 802.1Q VLAN link on {@code parent} (needs the kernel's 8021q driver), tagging with {@code id}.
     *
     * @param name the name, or {@code null} for a random {@code vlan...}
     * @param parent the link it sits on, read from the namespace the VLAN is created in
     * @param id the VLAN id, 1 to 4094
     * @return the spec
     * @throws IllegalArgumentException if the name or the id is invalid
     */
    public static LinkSpec vlan(String name, Link parent, int id) {
        Objects.requireNonNull(parent, "parent");
        if (id < 1 || id > 4094) {
            throw new IllegalArgumentException("VLAN id " + id + " out of range 1-4094");
        }
        LinkSpec spec = new LinkSpec(new VlanKind(id), name);
        spec.setParent(parent);
        return spec;
    }

    /**
     * A dummy link (needs the kernel's dummy driver).
     *
     * @param name the name, or {@code null} for a random {@code dummy...}
     * @return the spec
     * @throws IllegalArgumentException if the name is invalid
     */
    public static LinkSpec dummy(String name) {
        return new LinkSpec(PlainKind.dummy(), name);
    }

    /**
     * A link of any kind the kernel knows ({@code IFLA_INFO_KIND}), with raw {@code IFLA_INFO_DATA} attributes
     * from {@link #infoData(int, byte[])}.
     *
     * @param kind e.g. {@code vlan}, {@code ipvlan}, {@code wireguard}
     * @param name the name, or {@code null} for a random one prefixed with (up to 6 letters and digits of) the kind
     * @return the spec
     * @throws IllegalArgumentException if the kind is empty or the name invalid
     */
    public static LinkSpec of(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        if (kind.isEmpty()) {
            throw new IllegalArgumentException("kind must not be empty");
        }
        String prefix = kind.replaceAll("[^A-Za-z0-9]", "");
        prefix = prefix.isEmpty() ? "link" : prefix.substring(0, Math.min(prefix.length(), 6));
        return new LinkSpec(new PlainKind(kind, prefix, true), name);
    }

    /** This spec's kind as {@code type}; a setting of another kind's fails. */
    private <K extends LinkKind> K kindData(Class<K> type, String setting) {
        if (!type.isInstance(kind)) {
            throw new IllegalStateException(setting + " is not applicable to a " + kind.name() + " link");
        }
        return type.cast(kind);
    }

    VethKind vethKind() {
        return kindData(VethKind.class, "a veth setting");
    }

    /**
     * The kind.
     *
     * @return {@code veth}, {@code bridge}, {@code tap}...
     */
    public String kind() {
        return kind.name();
    }

    /**
     * The name.
     *
     * @return the name, or {@code null} for a random one
     */
    public String name() {
        return name;
    }

    /**
     * The MTU (of both ends of a veth).
     *
     * @param mtu the MTU, positive
     * @return this spec
     * @throws IllegalArgumentException if it is not positive
     */
    public LinkSpec mtu(int mtu) {
        if (mtu <= 0) {
            throw new IllegalArgumentException("MTU must be positive, was " + mtu);
        }
        this.mtu = mtu;
        return this;
    }

    /**
     * The MAC address.
     *
     * @param mac as {@code aa:bb:cc:dd:ee:ff}
     * @return this spec
     * @throws IllegalArgumentException if it is not a valid MAC address
     */
    public LinkSpec mac(String mac) {
        this.mac = MacAddresses.parse(mac);
        return this;
    }

    /**
     * Bring the link up at creation (both ends of a veth).
     *
     * @return this spec
     */
    public LinkSpec up() {
        this.up = true;
        return this;
    }

    /**
     * The transmit queue length ({@code IFLA_TXQLEN}, {@code qlen}), of both ends of a veth.
     *
     * @param txQueueLen packets, 0 or more
     * @return this spec
     * @throws IllegalArgumentException if it is negative
     */
    public LinkSpec txQueueLen(int txQueueLen) {
        this.txQueueLen = checkTxQueueLen(txQueueLen);
        return this;
    }

    static int checkTxQueueLen(int txQueueLen) {
        if (txQueueLen < 0) {
            throw new IllegalArgumentException("txQueueLen must not be negative, was " + txQueueLen);
        }
        return txQueueLen;
    }

    /**
     * The number of transmit queues ({@code IFLA_NUM_TX_QUEUES}), of both ends of a veth; fixed once the link
     * exists. The kernel allows 1 to 4096 and refuses more with {@code EINVAL}.
     *
     * @param numTxQueues 1 or more
     * @return this spec
     * @throws IllegalArgumentException if it is below 1
     * @throws IllegalStateException for a tap (its queues are the descriptors opened on it)
     */
    public LinkSpec numTxQueues(int numTxQueues) {
        this.numTxQueues = checkQueues("numTxQueues", numTxQueues);
        return this;
    }

    /**
     * The number of receive queues ({@code IFLA_NUM_RX_QUEUES}), of both ends of a veth; fixed once the link
     * exists. The kernel allows 1 to 4096 and refuses more with {@code EINVAL}.
     *
     * @param numRxQueues 1 or more
     * @return this spec
     * @throws IllegalArgumentException if it is below 1
     * @throws IllegalStateException for a tap (its queues are the descriptors opened on it)
     */
    public LinkSpec numRxQueues(int numRxQueues) {
        this.numRxQueues = checkQueues("numRxQueues", numRxQueues);
        return this;
    }

    private int checkQueues(String setting, int queues) {
        if (kind.name().equals("tap")) {
            throw new IllegalStateException(setting + " is not applicable to a tap link (made with TUNSETIFF, its"
                    + " queues are the descriptors opened on it)");
        }
        if (queues < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + queues);
        }
        return queues;
    }

    /**
     * The device group ({@code IFLA_GROUP}; 0 is {@code default}), of the local end of a veth.
     *
     * @param group 0 or more
     * @return this spec
     * @throws IllegalArgumentException if it is negative
     */
    public LinkSpec group(int group) {
        this.group = checkGroup(group);
        return this;
    }

    static int checkGroup(int group) {
        if (group < 0) {
            throw new IllegalArgumentException("group must not be negative, was " + group);
        }
        return group;
    }

    /**
     * The master ({@code IFLA_MASTER}) to enslave the new link to at creation, e.g. a bridge; the local end of a
     * veth. The kernel looks it up in the namespace the link is created in ({@link #netns(NsFd)}, else the
     * handle's), and {@code create} checks before any system call that it was read from there. If the kernel
     * refuses the master, it removes the new link again.
     *
     * @param master a link of the namespace the new link is created in
     * @return this spec
     */
    public LinkSpec master(Link master) {
        Objects.requireNonNull(master, "master");
        this.masterIndex = master.index();
        this.masterName = master.name();
        this.masterNetnsIno = master.netnsIno();
        return this;
    }

    /**
     * How a random name begins (for a spec made without a name): the prefix, then random hex digits up to 15
     * bytes; e.g. {@code namePrefix("t-")} gives {@code t-3fa09c1d2e4b7}. Without it the kind's prefix is used
     * ({@code veth}, {@code br}...).
     *
     * @param prefix at most 11 bytes in UTF-8 (at least 4 random digits remain), no {@code /}, {@code :} or
     *     white space
     * @return this spec
     * @throws IllegalArgumentException if the prefix is invalid
     * @throws IllegalStateException if the spec has a fixed name
     */
    public LinkSpec namePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (name != null) {
            throw new IllegalStateException("namePrefix is not applicable to a spec named \"" + name + "\"");
        }
        this.namePrefix = LinkNames.checkPrefix(prefix);
        return this;
    }

    /** How this spec's random name begins. */
    String effectiveNamePrefix() {
        return namePrefix != null ? namePrefix : kind.namePrefix();
    }

    /**
     * Create the link in {@code ns} instead of the handle's namespace ({@code IFLA_NET_NS_FD}). The handle
     * must stay open until {@code create} returns.
     *
     * @param ns the namespace
     * @return this spec
     */
    public LinkSpec netns(NsFd ns) {
        this.netns = Objects.requireNonNull(ns, "ns");
        return this;
    }

    /**
     * The veth peer's name.
     *
     * @param peerName the name
     * @return this spec
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if this is not a veth
     */
    public LinkSpec peer(String peerName) {
        VethKind veth = kindData(VethKind.class, "peer");
        if (veth.peerNamePrefix != null) {
            throw new IllegalStateException("peer \"" + peerName + "\" is not applicable after peerNamePrefix(\""
                    + veth.peerNamePrefix + "\")");
        }
        veth.peerName = LinkNames.check(peerName);
        return this;
    }

    /**
     * How the veth peer's random name begins (when {@link #peer(String)} names none); {@code veth} otherwise.
     *
     * @param prefix at most 11 bytes in UTF-8, no {@code /}, {@code :} or white space
     * @return this spec
     * @throws IllegalArgumentException if the prefix is invalid
     * @throws IllegalStateException if this is not a veth, or the peer has a fixed name
     */
    public LinkSpec peerNamePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        VethKind veth = kindData(VethKind.class, "peerNamePrefix");
        if (veth.peerName != null) {
            throw new IllegalStateException(
                    "peerNamePrefix is not applicable to a peer named \"" + veth.peerName + "\"");
        }
        veth.peerNamePrefix = LinkNames.checkPrefix(prefix);
        return this;
    }

    /**
     * The veth peer's own MTU ({@code IFLA_MTU} inside {@code VETH_INFO_PEER}); by default it gets
     * {@link #mtu(int)}'s.
     *
     * @param mtu the MTU, positive
     * @return this spec
     * @throws IllegalArgumentException if it is not positive
     * @throws IllegalStateException if this is not a veth
     */
    public LinkSpec peerMtu(int mtu) {
        VethKind veth = kindData(VethKind.class, "peerMtu");
        if (mtu <= 0) {
            throw new IllegalArgumentException("peer MTU must be positive, was " + mtu);
        }
        veth.peerMtu = mtu;
        return this;
    }

    /**
     * The veth peer's MAC address ({@code IFLA_ADDRESS} inside {@code VETH_INFO_PEER}); random by default.
     *
     * @param mac as {@code aa:bb:cc:dd:ee:ff}
     * @return this spec
     * @throws IllegalArgumentException if it is not a valid MAC address
     * @throws IllegalStateException if this is not a veth
     */
    public LinkSpec peerMac(String mac) {
        VethKind veth = kindData(VethKind.class, "peerMac");
        veth.peerMac = MacAddresses.parse(mac);
        return this;
    }

    /**
     * The namespace to create the veth peer in ({@code IFLA_NET_NS_FD} inside {@code VETH_INFO_PEER}); by
     * default the peer goes where the local end goes.
     *
     * @param ns the peer's namespace
     * @return this spec
     * @throws IllegalStateException if this is not a veth
     */
    public LinkSpec peerNetns(NsFd ns) {
        kindData(VethKind.class, "peerNetns").peerNetns = Objects.requireNonNull(ns, "ns");
        return this;
    }

    /**
     * The VXLAN UDP destination port ({@code IFLA_VXLAN_PORT}, sent big-endian); the kernel's default is 8472.
     *
     * @param port 1 to 65535
     * @return this spec
     * @throws IllegalArgumentException if it is out of range
     * @throws IllegalStateException if this is not a vxlan
     */
    public LinkSpec port(int port) {
        VxlanKind vxlan = kindData(VxlanKind.class, "port");
        if (port <= 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
        vxlan.port = port;
        return this;
    }

    /**
     * The VXLAN remote (unicast) endpoint.
     *
     * @param address a numeric IPv4 or IPv6 address
     * @return this spec
     * @throws IllegalArgumentException if it is not a numeric address
     * @throws IllegalStateException if this is not a vxlan
     */
    public LinkSpec remote(String address) {
        kindData(VxlanKind.class, "remote").remote = IpPrefix.parseAddress(address);
        return this;
    }

    /**
     * The VXLAN multicast group (needs {@link #device(Link)}).
     *
     * @param address a numeric multicast address
     * @return this spec
     * @throws IllegalArgumentException if it is not a numeric multicast address
     * @throws IllegalStateException if this is not a vxlan
     */
    public LinkSpec group(String address) {
        VxlanKind vxlan = kindData(VxlanKind.class, "group");
        InetAddress group = IpPrefix.parseAddress(address);
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(address + " is not a multicast address");
        }
        vxlan.remote = group;
        return this;
    }

    /**
     * The VXLAN local source address.
     *
     * @param address a numeric IPv4 or IPv6 address
     * @return this spec
     * @throws IllegalArgumentException if it is not a numeric address
     * @throws IllegalStateException if this is not a vxlan
     */
    public LinkSpec local(String address) {
        kindData(VxlanKind.class, "local").local = IpPrefix.parseAddress(address);
        return this;
    }

    /**
     * The VXLAN underlying device.
     *
     * @param link a link of the creating handle's namespace
     * @return this spec
     * @throws IllegalStateException if this is not a vxlan
     */
    public LinkSpec device(Link link) {
        VxlanKind vxlan = kindData(VxlanKind.class, "device");
        vxlan.deviceIndex = link.index();
        vxlan.deviceNetnsIno = link.netnsIno();
        return this;
    }

    /**
     * The parent link ({@code IFLA_LINK}) for kinds that sit on another link, e.g. {@code vlan} or
     * {@code ipvlan} made with {@link #of(String, String)}.
     *
     * @param parent a link of the creating handle's namespace
     * @return this spec
     * @throws IllegalStateException for a veth, tap or bridge
     */
    public LinkSpec parent(Link parent) {
        if (kind instanceof VethKind || kind.name().equals("tap") || kind.name().equals("bridge")) {
            throw new IllegalStateException("parent is not applicable to a " + kind.name() + " link");
        }
        setParent(parent);
        return this;
    }

    private void setParent(Link parent) {
        Objects.requireNonNull(parent, "parent");
        this.parentIndex = parent.index();
        this.parentName = parent.name();
        this.parentNetnsIno = parent.netnsIno();
    }

    /**
     * The values sent with a creation that a refusal can hinge on, for its message: e.g.
     * {@code " (mtu 70000, parent \"lo\" index 1)"}; empty when there are none.
     */
    String valuesForMessages() {
        List<String> values = new ArrayList<>();
        if (mtu != null) {
            values.add("mtu " + mtu);
        }
        if (mac != null) {
            values.add("address " + MacAddresses.format(mac));
        }
        if (txQueueLen != null) {
            values.add("txqlen " + txQueueLen);
        }
        if (numTxQueues != null) {
            values.add("numtxqueues " + numTxQueues);
        }
        if (numRxQueues != null) {
            values.add("numrxqueues " + numRxQueues);
        }
        if (group != null) {
            values.add("group " + group);
        }
        if (masterIndex != null) {
            values.add("master \"" + masterName + "\" index " + masterIndex);
        }
        if (parentIndex != null) {
            values.add("parent \"" + parentName + "\" index " + parentIndex);
        }
        values.addAll(kind.valuesForMessages());
        if (!infoData.isEmpty()) {
            values.add("raw IFLA_INFO_DATA types " + infoData.keySet());
        }
        return values.isEmpty() ? "" : " (" + String.join(", ", values) + ")";
    }

    /**
     * The macvlan mode.
     *
     * @param mode the mode
     * @return this spec
     * @throws IllegalStateException if this is not a macvlan
     */
    public LinkSpec mode(MacvlanMode mode) {
        kindData(MacvlanKind.class, "mode").mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * A raw attribute for {@code IFLA_INFO_DATA}, for any kind whose data is a list of attributes (all but veth
     * and tap): how to set what jnetns has no typed setting for, such as vxlan's learning or UDP checksum
     * options. It is sent as given (padded to 4 bytes) after the kind's typed attributes, so one of the same type
     * overrides the typed one (the kernel keeps the last).
     *
     * @param attributeType the attribute's type within {@code IFLA_INFO_DATA}, e.g. 1 for {@code IFLA_VLAN_ID}
     * @param payload its payload (copied)
     * @return this spec
     * @throws IllegalStateException for a veth or tap
     * @throws IllegalArgumentException if the type is outside 1 to 16383
     */
    public LinkSpec infoData(int attributeType, byte[] payload) {
        if (!kind.acceptsRawData()) {
            throw new IllegalStateException("infoData is not applicable to a " + kind.name() + " link");
        }
        Objects.requireNonNull(payload, "payload");
        if (attributeType <= 0 || attributeType > 0x3fff) {
            throw new IllegalArgumentException("attribute type must be 1 to 16383, was " + attributeType);
        }
        infoData.put(attributeType, payload.clone());
        return this;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(kind.name() + " \"" + (name == null ? effectiveNamePrefix() + "*" : name) + "\"");
        if (kind instanceof VethKind veth && veth.peerName != null) {
            parts.add("peer \"" + veth.peerName + "\"");
        }
        if (mtu != null) {
            parts.add("mtu " + mtu);
        }
        return "LinkSpec[" + String.join(" ", parts) + "]";
    }
}
