package doms.ring;

/**
 * Sentinel results of ring operations. Full and empty are normal outcomes, never exceptions;
 * the negative corruption results mean the peer broke the ring rules (a hostile or broken
 * guest) and the ring is unusable from then on.
 */
public final class RingResult {
    /** The record was written (and published, unless deferred). */
    public static final int OK = 0;
    /** No room for the record now; try again after the consumer advances. */
    public static final int FULL = -1;
    /** The peer's position is behind ours, more than one capacity ahead, or unaligned. */
    public static final int CORRUPT_POSITION = -2;
    /** A record header in the published data breaks the record rules. */
    public static final int CORRUPT_RECORD = -3;
    /** The caller asked for an impossible record (length or type); nothing was written. */
    public static final int INVALID_ARGUMENT = -4;

    private RingResult() {
    }

    public static String describe(final int result) {
        return switch (result) {
            case OK -> "ok";
            case FULL -> "full";
            case CORRUPT_POSITION -> "corrupt position";
            case CORRUPT_RECORD -> "corrupt record";
            case INVALID_ARGUMENT -> "invalid argument";
            default -> result > 0 ? result + " records" : "unknown result " + result;
        };
    }
}
