package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.util.Map;

/** {@code RTM_NEWLINK} create and change requests; each {@link LinkKind} writes its own {@code IFLA_INFO_DATA}. */
final class LinkMessages {
    private LinkMessages() {}

    /** {@code peerNs}: where a veth's peer goes (null: the requesting socket's namespace). */
    static NlBuilder newLink(LinkSpec spec, String name, String peer, NsFd peerNs) {
        int upFlags = spec.up ? Nl.IFF_UP : 0;
        NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
                .ifinfomsg(Nl.AF_UNSPEC, 0, upFlags, upFlags)
                .string(Nl.IFLA_IFNAME, name);
        endSettings(m, spec.mtu, spec.mac, spec);
        if (spec.netns != null) {
            m.u32(Nl.IFLA_NET_NS_FD, spec.netns.fd());
        }
        if (spec.parentIndex != null) {
            m.u32(Nl.IFLA_LINK, spec.parentIndex);
        }
        groupAndMaster(m, spec);
        kindAndData(m, spec, peer, peerNs);
        return m;
    }

    /**
     * A change of an existing link ({@code RTM_NEWLINK} without {@code NLM_F_CREATE}, as {@code ip link set ...
     * type K ...}): the spec's settings that were set, and its kind with its data.
     */
    static NlBuilder modify(LinkSpec spec, int index) {
        int upFlags = spec.up ? Nl.IFF_UP : 0;
        NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, 0).ifinfomsg(Nl.AF_UNSPEC, index, upFlags, upFlags);
        endSettings(m, spec.mtu, spec.mac, spec);
        groupAndMaster(m, spec);
        kindAndData(m, spec, null, null);
        return m;
    }

    /**
     * MTU, MAC, queue length and numbers of queues: what each end of a veth carries (the peer its own MTU and
     * MAC, the spec's queues, as vishvananda/netlink does).
     */
    static void endSettings(NlBuilder m, Integer mtu, byte[] mac, LinkSpec spec) {
        if (mtu != null) {
            m.u32(Nl.IFLA_MTU, mtu);
        }
        if (mac != null) {
            m.attr(Nl.IFLA_ADDRESS, mac);
        }
        if (spec.txQueueLen != null) {
            m.u32(Nl.IFLA_TXQLEN, spec.txQueueLen);
        }
        if (spec.numTxQueues != null) {
            m.u32(Nl.IFLA_NUM_TX_QUEUES, spec.numTxQueues);
        }
        if (spec.numRxQueues != null) {
            m.u32(Nl.IFLA_NUM_RX_QUEUES, spec.numRxQueues);
        }
    }

    /** Group and master: the local end's only. */
    private static void groupAndMaster(NlBuilder m, LinkSpec spec) {
        if (spec.group != null) {
            m.u32(Nl.IFLA_GROUP, spec.group);
        }
        if (spec.masterIndex != null) {
            m.u32(Nl.IFLA_MASTER, spec.masterIndex);
        }
    }

    /** One path for every kind: {@code IFLA_LINKINFO} with the kind, its typed attributes, then the raw ones. */
    private static void kindAndData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {
        int linkInfo = m.beginNested(Nl.IFLA_LINKINFO);
        m.string(Nl.IFLA_INFO_KIND, spec.kind.name());
        if (spec.kind.sendsData() || !spec.infoData.isEmpty()) {
            int data = m.beginNested(Nl.IFLA_INFO_DATA);
            spec.kind.encodeData(m, spec, peer, peerNs);
            for (Map.Entry<Integer, byte[]> e : spec.infoData.entrySet()) {
                m.attr(e.getKey(), e.getValue());
            }
            m.endNested(data);
        }
        m.endNested(linkInfo);
    }
}
