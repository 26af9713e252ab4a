package dev.jnetns.link;

/** The mode of a macvlan link ({@code IFLA_MACVLAN_MODE}). */
public enum MacvlanMode {
    /** No traffic between macvlans of the same parent. */
    PRIVATE(1),
    /** Traffic between macvlans goes out to the switch (VEPA). */
    VEPA(2),
    /** Macvlans of the same parent talk to each other directly (the usual choice). */
    BRIDGE(4),
    /** One macvlan takes over the parent. */
    PASSTHRU(8),
    /** Accept only frames from a list of source MACs. */
    SOURCE(16);

    final int value;

    MacvlanMode(int value) {
        this.value = value;
    }
}
