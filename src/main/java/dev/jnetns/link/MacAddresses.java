package dev.jnetns.link;

import java.util.Objects;

/** Ethernet MAC addresses between their text form ({@code aa:bb:cc:dd:ee:ff}) and their six bytes. */
final class MacAddresses {
    private MacAddresses() {}

    /** The six bytes of {@code mac}; anything but six pairs of hex digits is refused, naming the input. */
    static byte[] parse(String mac) {
        Objects.requireNonNull(mac, "mac");
        String[] parts = mac.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address \"" + mac + "\": expected aa:bb:cc:dd:ee:ff");
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (!parts[i].matches("[0-9A-Fa-f]{2}")) {
                throw new IllegalArgumentException("invalid MAC address \"" + mac + "\": expected aa:bb:cc:dd:ee:ff");
            }
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** Lower-case hex pairs joined by colons, as iproute2 prints them. */
    static String format(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
