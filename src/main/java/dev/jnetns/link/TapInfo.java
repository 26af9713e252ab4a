package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlMessage;
import dev.jnetns.internal.sys.NetlinkNatives;

/**
 * What the kernel reports of a tun or tap device ({@code IFLA_INFO_DATA} of kind {@code tun}, Linux 4.15 and
 * later), as {@code ip -d link show} prints it; read with {@link Rtnl#tapInfo(Link)}.
 *
 * @param tap {@code true} for a tap (Ethernet frames), {@code false} for a tun (IP packets)
 * @param packetInfo whether each frame carries the 4-byte packet information header ({@code pi}; never for taps
 *     jnetns creates, which use {@code IFF_NO_PI})
 * @param vnetHeader whether each frame starts with a {@code struct virtio_net_hdr} ({@code IFF_VNET_HDR})
 * @param multiQueue whether several descriptors may attach ({@code IFF_MULTI_QUEUE})
 * @param persistent whether the device outlives its descriptors ({@code TUNSETPERSIST})
 * @param queues how many descriptors are attached now ({@code numqueues}); -1 for a single-queue device, whose
 *     count the kernel does not report
 * @param disabledQueues how many attached descriptors are disabled ({@code numdisabled}); -1 as {@code queues}
 */
public record TapInfo(
        boolean tap,
        boolean packetInfo,
        boolean vnetHeader,
        boolean multiQueue,
        boolean persistent,
        int queues,
        int disabledQueues) {
    private static final int IFF_TUN = 0x0001;

    /**
     * Decodes the tun data of an {@code RTM_NEWLINK}; null for a link of another kind or a kernel without it.
     * Rejects malformed messages with a NetlinkFormatException.
     */
    static TapInfo decode(NlMessage m) {
        m.familyHeader(Nl.IFINFOMSG_LEN, "ifinfomsg");
        NlAttrs a = m.attributes(Nl.IFINFOMSG_LEN);
        if (!a.has(Nl.IFLA_LINKINFO)) {
            return null;
        }
        NlAttrs info = a.nested(Nl.IFLA_LINKINFO);
        if (!info.has(Nl.IFLA_INFO_KIND) || !info.string(Nl.IFLA_INFO_KIND).equals("tun")) {
            return null;
        }
        if (!info.has(Nl.IFLA_INFO_DATA)) {
            return null;
        }
        NlAttrs d = info.nested(Nl.IFLA_INFO_DATA);
        return new TapInfo(
                flag(d, Nl.IFLA_TUN_TYPE) == NetlinkNatives.IFF_TAP,
                flag(d, Nl.IFLA_TUN_PI) != 0,
                flag(d, Nl.IFLA_TUN_VNET_HDR) != 0,
                flag(d, Nl.IFLA_TUN_MULTI_QUEUE) != 0,
                flag(d, Nl.IFLA_TUN_PERSIST) != 0,
                d.has(Nl.IFLA_TUN_NUM_QUEUES) ? d.u32(Nl.IFLA_TUN_NUM_QUEUES) : -1,
                d.has(Nl.IFLA_TUN_NUM_DISABLED_QUEUES) ? d.u32(Nl.IFLA_TUN_NUM_DISABLED_QUEUES) : -1);
    }

    private static int flag(NlAttrs d, int type) {
        return d.has(type) ? d.u8(type) : 0;
    }

    /** The {@code IFF_*} flags a descriptor attaching to this device must send (the kernel takes them over). */
    int attachFlags() {
        int flags = tap ? NetlinkNatives.IFF_TAP : IFF_TUN;
        flags |= packetInfo ? 0 : NetlinkNatives.IFF_NO_PI;
        flags |= vnetHeader ? NetlinkNatives.IFF_VNET_HDR : 0;
        flags |= multiQueue ? NetlinkNatives.IFF_MULTI_QUEUE : 0;
        return flags;
    }

    /** For example {@code TapInfo[tap multi_queue vnet_hdr persist queues 4]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TapInfo[").append(tap ? "tap" : "tun");
        s.append(packetInfo ? " pi" : "")
                .append(vnetHeader ? " vnet_hdr" : "")
                .append(multiQueue ? " multi_queue" : "")
                .append(persistent ? " persist" : "");
        if (queues >= 0) {
            s.append(" queues ").append(queues);
        }
        if (disabledQueues > 0) {
            s.append(" disabled ").append(disabledQueues);
        }
        return s.append(']').toString();
    }
}
