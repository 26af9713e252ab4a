/**
 * The netlink codec and socket behind {@link dev.jnetns.link}: {@link dev.jnetns.internal.netlink.NlBuilder}
 * writes requests (4-byte aligned attributes, nesting, big-endian where the kernel wants it),
 * {@link dev.jnetns.internal.netlink.NlMessage} and {@link dev.jnetns.internal.netlink.NlAttrs} parse replies and
 * reject malformed input with {@link dev.jnetns.internal.netlink.NetlinkFormatException}, and
 * {@link dev.jnetns.internal.netlink.NetlinkSocket} does acknowledged requests and multi-part dumps. Not API.
 */
package dev.jnetns.internal.netlink;
