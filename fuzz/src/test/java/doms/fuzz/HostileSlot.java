package doms.fuzz;

/**
 * Everything a guest may write in its slot, as one fuzz input: the bytes of the whole slot
 * file (header page, TX ring, RX ring). The rig writes them into the real shared slot before the
 * switch attaches, so header fields, both positions of both rings, record headers and payloads
 * are all the fuzzer's.
 */
public record HostileSlot(byte[] bytes, String description) {
    @Override
    public String toString() {
        return description + " (" + bytes.length + " bytes)";
    }
}
