package dev.jnetns;

/** Validates names of persistent namespaces the way iproute2 does. */
final class NetnsNames {
    static final int NAME_MAX = 255;

    private NetnsNames() {}

    /** Where the named namespace {@code name} is mounted, {@code /run/netns/NAME}; checks the name first. */
    static String path(String name) {
        check(name);
        return Netns.NAMED_DIR + "/" + name;
    }

    static void check(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("namespace name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("namespace name must not be \"" + name + "\"");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("namespace name must not contain '/' or NUL: \"" + name + "\"");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            // a newline or escape in a name breaks `ip netns list` and every script that reads it
            throw new IllegalArgumentException("namespace name must not contain control characters: \""
                    + name.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new IllegalArgumentException(
                    "namespace name is longer than " + NAME_MAX + " bytes: \"" + name.substring(0, 20) + "...\"");
        }
    }
}
