package doms.fuzz.campaign;

/**
 * A guidance that holds each input as an array: a target's generator may take the bytes whole
 * instead of one at a time through JQF's {@code SourceOfRandomness}, which costs more than most
 * executions do.
 */
public interface InputBytes {
    /** The input being run, never modified by the caller. */
    byte[] currentInput();
}
