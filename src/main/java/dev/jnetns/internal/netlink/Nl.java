package dev.jnetns.internal.netlink;

/** Netlink and rtnetlink constants (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h...). */
public final class Nl {
    private Nl() {}

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    public static final int NLMSG_HDRLEN = 16;
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** In an NLMSG_ERROR: the original request's payload was left out (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an NLMSG_ERROR: extended-ack TLVs follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_GETQDISC = 38;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** sizeof(struct ifinfomsg). */
    public static final int IFINFOMSG_LEN = 16;
    /** sizeof(struct ifaddrmsg). */
    public static final int IFADDRMSG_LEN = 8;
    /** sizeof(struct ndmsg). */
    public static final int NDMSG_LEN = 12;
    /** sizeof(struct rtmsg). */
    public static final int RTMSG_LEN = 12;
    /** sizeof(struct tcmsg). */
    public static final int TCMSG_LEN = 20;

    public static final int IFF_UP = 0x1;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_LOWER_UP = 0x10000;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_IFALIAS = 20;
    public static final int IFLA_LINK_NETNSID = 37;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_EXT_MASK = 29;
    public static final int IFLA_STATS = 7;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_STATS64 = 23;
    public static final int IFLA_GROUP = 27;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;

    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;

    public static final int VETH_INFO_PEER = 1;
    public static final int IFLA_MACVLAN_MODE = 1;
    public static final int IFLA_VXLAN_ID = 1;
    public static final int IFLA_VXLAN_GROUP = 2;
    public static final int IFLA_VXLAN_LINK = 3;
    public static final int IFLA_VXLAN_LOCAL = 4;
    public static final int IFLA_VXLAN_PORT = 15;
    public static final int IFLA_VXLAN_GROUP6 = 16;
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_OPTIMISTIC = 0x04;
    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_DEPRECATED = 0x20;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    /** sizeof(struct ifa_cacheinfo). */
    public static final int IFA_CACHEINFO_LEN = 16;
    /** A lifetime of {@code struct ifa_cacheinfo} that never ends. */
    public static final long INFINITY_LIFE_TIME = 0xffffffffL;

    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NUD_PERMANENT = 0x80;
    public static final int NUD_NOARP = 0x40;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RTN_UNICAST = 1;
    public static final int RTNH_F_ONLINK = 4;

    public static final int TCA_KIND = 1;
    public static final int TCA_OPTIONS = 2;
    public static final int TC_H_ROOT = 0xFFFFFFFF;
    public static final int TCA_TBF_PARMS = 1;
    public static final int TCA_TBF_RATE64 = 4;
    public static final int TCA_TBF_BURST = 6;
    public static final int TCA_NETEM_RATE = 6;
    public static final int TCA_NETEM_RATE64 = 8;
    public static final int TCA_NETEM_LATENCY64 = 10;
    public static final int TCA_NETEM_JITTER64 = 11;

    // network namespace ids (linux/net_namespace.h), links read in another namespace, tun/tap read back
    public static final int RTM_NEWNSID = 88;
    public static final int RTM_GETNSID = 90;
    /** sizeof(struct rtgenmsg), aligned: the family header of RTM_*NSID. */
    public static final int RTGENMSG_LEN = 4;

    public static final int NETNSA_NSID = 1;
    public static final int NETNSA_FD = 3;
    public static final int NETNSA_TARGET_NSID = 4;
    public static final int NETNSA_CURRENT_NSID = 5;
    /** NETNSA_NSID's value when the namespace has no id for the other; sent in RTM_NEWNSID: allocate one. */
    public static final int NETNSA_NSID_NOT_ASSIGNED = -1;

    public static final int IFLA_TARGET_NETNSID = 46;
    public static final int IFLA_TUN_TYPE = 3;
    public static final int IFLA_TUN_PI = 4;
    public static final int IFLA_TUN_VNET_HDR = 5;
    public static final int IFLA_TUN_PERSIST = 6;
    public static final int IFLA_TUN_MULTI_QUEUE = 7;
    public static final int IFLA_TUN_NUM_QUEUES = 8;
    public static final int IFLA_TUN_NUM_DISABLED_QUEUES = 9;

    /** Rounds up to the 4-byte netlink alignment. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }

    /** A message type's name for error messages, e.g. {@code RTM_NEWLINK}. */
    public static String typeName(int type) {
        return switch (type) {
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_SETLINK -> "RTM_SETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_DELNEIGH -> "RTM_DELNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWQDISC -> "RTM_NEWQDISC";
            case RTM_DELQDISC -> "RTM_DELQDISC";
            case RTM_GETQDISC -> "RTM_GETQDISC";
            case RTM_NEWNSID -> "RTM_NEWNSID";
            case RTM_GETNSID -> "RTM_GETNSID";
            default -> "netlink type " + type;
        };
    }
}
