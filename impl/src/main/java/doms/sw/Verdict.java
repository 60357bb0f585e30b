package doms.sw;

/** What the switch decided for one frame taken from a guest port. */
public enum Verdict {
    /** Shorter than an Ethernet header (or a tagged one). */
    DROP_RUNT,
    /** A record type other than a frame. */
    DROP_NOT_A_FRAME,
    /** Source address is not the one bound to the port (anti-spoofing). */
    DROP_SPOOFED,
    /** Sent to the port bound to the destination, in the same tenant. */
    UNICAST,
    /** Broadcast, multicast or unknown unicast: to every other port of the same tenant. */
    FLOOD
}
