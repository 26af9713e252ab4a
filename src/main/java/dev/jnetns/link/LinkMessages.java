package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlBuilder;
import java.util.Map;

/** {@code RTM_NEWLINK} create requests; each {@link LinkKind} writes its own {@code IFLA_INFO_DATA}. */
final class LinkMessages {
    private LinkMessages() {}

    /** {@code peerNs}: where a veth's peer goes (null: the requesting socket's namespace). */
    static NlBuilder newLink(LinkSpec spec, String name, String peer, NsFd peerNs) {
        int upFlags = spec.up ? Nl.IFF_UP : 0;
        NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
                .ifinfomsg(Nl.AF_UNSPEC, 0, upFlags, upFlags)
                .string(Nl.IFLA_IFNAME, name);
        if (spec.mtu != null) {
            m.u32(Nl.IFLA_MTU, spec.mtu);
        }
        if (spec.mac != null) {
            m.attr(Nl.IFLA_ADDRESS, spec.mac);
        }
        if (spec.netns != null) {
            m.u32(Nl.IFLA_NET_NS_FD, spec.netns.fd());
        }
        if (spec.parentIndex != null) {
            m.u32(Nl.IFLA_LINK, spec.parentIndex);
        }
        common(m, spec);
        int linkInfo = m.beginNested(Nl.IFLA_LINKINFO);
        m.string(Nl.IFLA_INFO_KIND, spec.kind.name());
        // one path for every kind: its typed attributes, then the raw ones
        if (spec.kind.sendsData() || !spec.infoData.isEmpty()) {
            int data = m.beginNested(Nl.IFLA_INFO_DATA);
            spec.kind.encodeData(m, spec, peer, peerNs);
            for (Map.Entry<Integer, byte[]> e : spec.infoData.entrySet()) {
                m.attr(e.getKey(), e.getValue());
            }
            m.endNested(data);
        }
        m.endNested(linkInfo);
        return m;
    }

    /** The settings of every kind that RTM_NEWLINK carries for creation and change alike. */
    private static void common(NlBuilder m, LinkSpec spec) {
        if (spec.txQueueLen != null) {
            m.u32(Nl.IFLA_TXQLEN, spec.txQueueLen);
        }
        if (spec.numTxQueues != null) {
            m.u32(Nl.IFLA_NUM_TX_QUEUES, spec.numTxQueues);
        }
        if (spec.numRxQueues != null) {
            m.u32(Nl.IFLA_NUM_RX_QUEUES, spec.numRxQueues);
        }
        if (spec.group != null) {
            m.u32(Nl.IFLA_GROUP, spec.group);
        }
        if (spec.masterIndex != null) {
            m.u32(Nl.IFLA_MASTER, spec.masterIndex);
        }
    }

    /**
     * A change of an existing link ({@code RTM_NEWLINK} without {@code NLM_F_CREATE}, as {@code ip link set ...
     * type K ...}): the spec's settings that were set, and its kind with its data.
     */
    static NlBuilder modify(LinkSpec spec, int index) {
        int upFlags = spec.up ? Nl.IFF_UP : 0;
        NlBuilder m = new NlBuilder(Nl.RTM_NEWLINK, 0).ifinfomsg(Nl.AF_UNSPEC, index, upFlags, upFlags);
        if (spec.mtu != null) {
            m.u32(Nl.IFLA_MTU, spec.mtu);
        }
        if (spec.mac != null) {
            m.attr(Nl.IFLA_ADDRESS, spec.mac);
        }
        common(m, spec);
        int linkInfo = m.beginNested(Nl.IFLA_LINKINFO);
        m.string(Nl.IFLA_INFO_KIND, spec.kind.name());
        if (spec.kind.sendsData() || !spec.infoData.isEmpty()) {
            int data = m.beginNested(Nl.IFLA_INFO_DATA);
            spec.kind.encodeData(m, spec, null, null);
            for (Map.Entry<Integer, byte[]> e : spec.infoData.entrySet()) {
                m.attr(e.getKey(), e.getValue());
            }
            m.endNested(data);
        }
        m.endNested(linkInfo);
        return m;
    }
}
