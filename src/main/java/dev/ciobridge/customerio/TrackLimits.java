package dev.ciobridge.customerio;

/** Limits the Track API documents, all counted in UTF-8 bytes. */
public final class TrackLimits {

    public static final int IDENTIFIER_BYTES = 150;
    public static final int ATTRIBUTE_NAME_BYTES = 150;
    public static final int ATTRIBUTE_VALUE_BYTES = 1000;
    public static final int ATTRIBUTES_PER_CALL = 300;
    public static final int EVENT_NAME_BYTES = 100;
    public static final int EVENT_DATA_BYTES = 100_000;
    /** A v2 entity, alone or as one item of a batch, must stay under 32 KB. */
    public static final int ENTITY_BYTES = 32 * 1024 - 1;
    /** A v2 batch request must stay under 500 KB in total. */
    public static final int BATCH_BYTES = 500 * 1024 - 1;

    private TrackLimits() {
    }
}
