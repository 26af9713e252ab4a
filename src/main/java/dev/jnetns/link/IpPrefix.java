package dev.jnetns.link;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IP address with a prefix length, as in {@code 10.1.0.1/24} or {@code fd00::1/64}. Parsing never looks
 * anything up in DNS: only numeric IPv4 (dotted quad) and IPv6 literals are accepted.
 *
 * @param address the address (the host part is kept: {@code 10.1.0.1/24} is not {@code 10.1.0.0/24})
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {
    /** Checks the prefix length against the address family. */
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of range 0-" + max + " for " + address.getHostAddress());
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH}; without {@code /LENGTH} the full length (32 or 128) is meant.
     *
     * @param cidr e.g. {@code 10.1.0.1/24}, {@code fd00::1/64}, {@code 0.0.0.0/0}, {@code 192.0.2.7}
     * @return the prefix
     * @throws IllegalArgumentException if it is not a numeric address with a valid prefix length
     */
    public static IpPrefix parse(String cidr) {
        if (cidr == null || cidr.isEmpty()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = cidr.indexOf('/');
        String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
        InetAddress address;
        try {
            address = parseAddress(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR \"" + cidr + "\": " + e.getMessage(), e);
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        int length = max;
        if (slash >= 0) {
            String lengthText = cidr.substring(slash + 1);
            if (lengthText.isEmpty()
                    || lengthText.length() > 3
                    || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(
                        "invalid CIDR \"" + cidr + "\": prefix length \"" + lengthText + "\" is not a number 0-" + max);
            }
            length = Integer.parseInt(lengthText);
            if (length > max) {
                throw new IllegalArgumentException(
                        "invalid CIDR \"" + cidr + "\": prefix length " + length + " > " + max);
            }
        }
        return new IpPrefix(address, length);
    }

    /**
     * Parses a numeric IPv4 or IPv6 address (no DNS, no zone ids).
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static InetAddress parseAddress(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        boolean v6 = text.indexOf(':') >= 0;
        byte[] bytes = v6 ? parseV6(text) : parseV4(text);
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not a numeric IPv4 or IPv6 address");
        }
        try {
            // Inet6Address directly, so that ::ffff:a.b.c.d stays IPv6 (InetAddress would make it IPv4)
            return v6 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                // inet_aton and so iproute2 read "010" as octal (8), Java's parsers as decimal (10): refuse
                throw new IllegalArgumentException("\"" + text + "\": the part \"" + p + "\" has a leading zero, which"
                        + " iproute2 reads as octal and others as decimal; write it without");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon >= 0 ? total > 7 : total != 8) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            out[2 * i] = (byte) (headGroups[i] >> 8);
            out[2 * i + 1] = (byte) headGroups[i];
        }
        for (int i = 0; i < tailGroups.length; i++) {
            int pos = 8 - tailGroups.length + i;
            out[2 * pos] = (byte) (tailGroups[i] >> 8);
            out[2 * pos + 1] = (byte) tailGroups[i];
        }
        return out;
    }

    /** 16-bit groups of one side of {@code ::}; a trailing dotted quad counts as two groups. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int count = parts.length;
        byte[] v4 = null;
        if (parts[count - 1].indexOf('.') >= 0) {
            v4 = parseV4(parts[count - 1]);
            if (v4 == null) {
                return null;
            }
        }
        int[] out = new int[count + (v4 != null ? 1 : 0)];
        for (int i = 0; i < count - (v4 != null ? 1 : 0); i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!hex) {
                    return null;
                }
                v = v * 16 + Character.digit(c, 16);
            }
            out[i] = v;
        }
        if (v4 != null) {
            out[count - 1] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[count] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    /** Whether this is an IPv6 prefix. */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The network: the address with the host bits cleared, e.g. {@code 10.1.0.0/24} for {@code 10.1.0.1/24}. */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        try {
            InetAddress net = isIpv6() ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
            return new IpPrefix(net, prefixLength);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 10.1.0.1/24}, {@code fd00::1/64} (IPv6 in the compressed form {@code ip} prints). */
    @Override
    public String toString() {
        return format(address) + "/" + prefixLength;
    }

    /** An address as {@code ip} prints it: dotted quad, or IPv6 compressed with {@code ::}. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
