package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlMessage;
import java.nio.ByteBuffer;

/**
 * An immutable snapshot of a network interface as the kernel reported it ({@code RTM_NEWLINK}), and the
 * namespace it was read from. Re-read it with {@link Rtnl#refresh(Link)} to see changes. Two snapshots are equal
 * when all their fields are. Counters are not part of it: they move with every packet, so two snapshots of an
 * unchanged link would differ; read them with {@link Rtnl#stats(Link)} (vishvananda/netlink keeps them in its
 * {@code LinkAttrs.Statistics} instead).
 *
 * @param index the interface index ({@code ifindex}), unique within its namespace
 * @param name the interface name
 * @param kind the driver kind from {@code IFLA_INFO_KIND} ({@code veth}, {@code bridge}, {@code tun}...), or
 *     {@code null} for links without one (such as {@code lo} or a physical NIC)
 * @param mac the hardware address as lower-case {@code aa:bb:cc:dd:ee:ff}, or {@code null} when there is none
 * @param mtu the MTU
 * @param flags the {@code IFF_*} flags ({@code IFF_UP} 0x1, {@code IFF_PROMISC} 0x100, {@code IFF_LOWER_UP}...)
 * @param operState the operational state
 * @param masterIndex the index of the master (e.g. the bridge it is a port of), 0 for none
 * @param linkIndex the index of the link it is tied to ({@code IFLA_LINK}): a veth's peer, a macvlan's or vlan's
 *     parent; 0 for none. With {@code linkNetnsId} set it is an index in that other namespace
 * @param linkNetnsId the id ({@code IFLA_LINK_NETNSID}) under which the namespace it was read from knows the
 *     namespace of the tied link, when that is another one; -1 when it is the same (or there is none)
 * @param alias the alias ({@code IFLA_IFALIAS}), or {@code null} for none
 * @param txQueueLen the transmit queue length ({@code IFLA_TXQLEN}, {@code qlen} in {@code ip link}), in packets
 * @param numTxQueues the number of transmit queues ({@code IFLA_NUM_TX_QUEUES}), fixed at creation
 * @param numRxQueues the number of receive queues ({@code IFLA_NUM_RX_QUEUES}), fixed at creation
 * @param group the device group ({@code IFLA_GROUP}), 0 ({@code default}) unless set; the kernel's u32 as an
 *     {@code int}
 * @param netnsIno the inode of the network namespace it was read from ({@link dev.jnetns.NsFd#ino()})
 */
public record Link(
        int index,
        String name,
        String kind,
        String mac,
        int mtu,
        int flags,
        OperState operState,
        int masterIndex,
        int linkIndex,
        int linkNetnsId,
        String alias,
        int txQueueLen,
        int numTxQueues,
        int numRxQueues,
        int group,
        long netnsIno) {

    /** {@code IFF_UP}: administratively up. */
    public boolean isUp() {
        return (flags & Nl.IFF_UP) != 0;
    }

    /** {@code IFF_PROMISC}: promiscuous mode. */
    public boolean isPromiscuous() {
        return (flags & Nl.IFF_PROMISC) != 0;
    }

    /** {@code IFF_LOWER_UP}: the driver signals carrier. */
    public boolean isLowerUp() {
        return (flags & Nl.IFF_LOWER_UP) != 0;
    }

    /** Administratively up and operational state {@link OperState#UP} or {@link OperState#UNKNOWN}. */
    public boolean isOperationallyUp() {
        return isUp() && (operState == OperState.UP || operState == OperState.UNKNOWN);
    }

    /** Whether it has a master (is a bridge port, for example). */
    public boolean hasMaster() {
        return masterIndex != 0;
    }

    /** Decodes an {@code RTM_NEWLINK} message; rejects malformed ones with a NetlinkFormatException. */
    static Link decode(NlMessage m, long netnsIno) {
        ByteBuffer h = m.familyHeader(Nl.IFINFOMSG_LEN, "ifinfomsg");
        int index = h.getInt(4);
        int flags = h.getInt(8);
        NlAttrs a = m.attributes(Nl.IFINFOMSG_LEN);
        String name = a.has(Nl.IFLA_IFNAME) ? a.string(Nl.IFLA_IFNAME) : "";
        String kind = null;
        if (a.has(Nl.IFLA_LINKINFO)) {
            NlAttrs info = a.nested(Nl.IFLA_LINKINFO);
            if (info.has(Nl.IFLA_INFO_KIND)) {
                kind = info.string(Nl.IFLA_INFO_KIND);
            }
        }
        String mac = a.has(Nl.IFLA_ADDRESS) ? MacAddresses.format(a.bytes(Nl.IFLA_ADDRESS)) : null;
        int mtu = a.has(Nl.IFLA_MTU) ? a.u32(Nl.IFLA_MTU) : 0;
        OperState oper = a.has(Nl.IFLA_OPERSTATE) ? OperState.of(a.u8(Nl.IFLA_OPERSTATE)) : OperState.UNKNOWN;
        int master = a.has(Nl.IFLA_MASTER) ? a.u32(Nl.IFLA_MASTER) : 0;
        int link = a.has(Nl.IFLA_LINK) ? a.u32(Nl.IFLA_LINK) : 0;
        int linkNetnsId = a.has(Nl.IFLA_LINK_NETNSID) ? a.u32(Nl.IFLA_LINK_NETNSID) : -1;
        String alias = a.has(Nl.IFLA_IFALIAS) ? a.string(Nl.IFLA_IFALIAS) : null;
        if (alias != null && alias.isEmpty()) {
            alias = null;
        }
        int txQueueLen = a.has(Nl.IFLA_TXQLEN) ? a.u32(Nl.IFLA_TXQLEN) : 0;
        int numTx = a.has(Nl.IFLA_NUM_TX_QUEUES) ? a.u32(Nl.IFLA_NUM_TX_QUEUES) : 0;
        int numRx = a.has(Nl.IFLA_NUM_RX_QUEUES) ? a.u32(Nl.IFLA_NUM_RX_QUEUES) : 0;
        int group = a.has(Nl.IFLA_GROUP) ? a.u32(Nl.IFLA_GROUP) : 0;
        return new Link(
                index,
                name,
                kind,
                mac,
                mtu,
                flags,
                oper,
                master,
                link,
                linkNetnsId,
                alias,
                txQueueLen,
                numTx,
                numRx,
                group,
                netnsIno);
    }

    /** For example {@code Link[3: va (veth) UP operstate UP mtu 1500 mac 1e:f8:ae:8e:31:d9 in net:[4026532177]]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Link[").append(index).append(": ").append(name);
        if (kind != null) {
            s.append(" (").append(kind).append(')');
        }
        s.append(isUp() ? " UP" : " DOWN")
                .append(" operstate ")
                .append(operState)
                .append(" mtu ")
                .append(mtu);
        if (mac != null) {
            s.append(" mac ").append(mac);
        }
        if (isPromiscuous()) {
            s.append(" PROMISC");
        }
        if (masterIndex != 0) {
            s.append(" master ").append(masterIndex);
        }
        if (linkIndex != 0) {
            s.append(" link ").append(linkIndex);
            if (linkNetnsId >= 0) {
                s.append(" in nsid ").append(linkNetnsId);
            }
        }
        if (alias != null) {
            s.append(" alias \"").append(alias).append('"');
        }
        if (group != 0) {
            s.append(" group ").append(Integer.toUnsignedString(group));
        }
        return s.append(" in net:[").append(netnsIno).append("]]").toString();
    }
}
