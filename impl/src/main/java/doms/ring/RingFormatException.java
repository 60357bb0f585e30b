package doms.ring;

/** A ring region that cannot be attached: bad header or positions. Thrown only at attach time. */
public final class RingFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RingFormatException(final String message) {
        super(message);
    }
}
