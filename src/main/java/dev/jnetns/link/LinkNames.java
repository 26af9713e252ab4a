package dev.jnetns.link;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.IntUnaryOperator;

/** Interface names: the kernel's rules, checked before any system call, and random names. */
public final class LinkNames {
    /** IFNAMSIZ - 1: the longest name the kernel accepts, in bytes. */
    public static final int MAX_BYTES = 15;

    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkNames() {}

    /**
     * Checks an interface name as the kernel's {@code dev_valid_name} does: 1 to 15 bytes (UTF-8), not
     * {@code .} or {@code ..}, no {@code /}, {@code :} or whitespace.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it is invalid, saying why
     */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is " + bytes
                    + " bytes long; the kernel allows at most " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name must not be \"" + name + "\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0) {
                throw new IllegalArgumentException("interface name \"" + name + "\" contains '"
                        + (c == 0 ? "\\0" : String.valueOf(c)) + "'; '/', ':' and whitespace are not allowed");
            }
        }
        return name;
    }

    /**
     * A random name: {@code prefix} followed by random hex digits up to 15 bytes, e.g. {@code veth3fa09c1d2e4}.
     * The prefix is counted in UTF-8 bytes, as the kernel counts: {@code "ü"} (2 bytes) gets 13 digits.
     *
     * @param prefix a prefix of at most 11 bytes in UTF-8 (so at least 4 random digits remain)
     * @return the name, exactly 15 bytes long
     */
    public static String random(String prefix) {
        return random(prefix, RANDOM::nextInt);
    }

    /**
     * Checks a prefix of random names: a valid name (see {@link #check}) of at most 11 bytes, so that at least 4
     * random digits follow it.
     *
     * @throws IllegalArgumentException if it is invalid, naming it and saying why
     */
    static String checkPrefix(String prefix) {
        try {
            check(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("name prefix \"" + prefix + "\" is invalid: " + e.getMessage(), e);
        }
        int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        if (prefixBytes > MAX_BYTES - 4) {
            throw new IllegalArgumentException("name prefix \"" + prefix + "\" is " + prefixBytes
                    + " bytes long and leaves fewer than 4 random digits (at most " + (MAX_BYTES - 4) + " bytes)");
        }
        return prefix;
    }

    /**
     * As {@link #random(String)}, with the digits drawn from {@code digits} (given 16, it answers 0 to 15): a seam
     * for tests that need to know which names will be drawn.
     */
    static String random(String prefix, IntUnaryOperator digits) {
        checkPrefix(prefix);
        int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder s = new StringBuilder(prefix);
        for (int i = prefixBytes; i < MAX_BYTES; i++) {
            s.append(Character.forDigit(digits.applyAsInt(16), 16));
        }
        return s.toString();
    }
}
