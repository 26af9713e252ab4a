package dev.jnetns.link;

/**
 * A kind that sends no typed {@code IFLA_INFO_DATA} of its own: bridge, dummy, and any kind named with
 * {@link LinkSpec#of(String, String)}, whose data comes only from {@link LinkSpec#infoData raw attributes}.
 */
final class PlainKind extends LinkKind {
    private final boolean acceptsRawData;

    PlainKind(String name, String namePrefix, boolean acceptsRawData) {
        super(name, namePrefix);
        this.acceptsRawData = acceptsRawData;
    }

    static PlainKind bridge() {
        return new PlainKind("bridge", "br", true);
    }

    static PlainKind dummy() {
        return new PlainKind("dummy", "dummy", true);
    }

    @Override
    boolean acceptsRawData() {
        return acceptsRawData;
    }
}
