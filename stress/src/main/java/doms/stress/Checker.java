package doms.stress;

import doms.ring.RecordDescriptor;
import doms.ring.RecordHandler;
import java.lang.foreign.MemorySegment;

/**
 * The consumer's handler in every test: checks each delivered record against what the producer
 * wrote for its seed (type, length, every payload byte) and remembers the order of the seeds.
 * With {@code inPlacePasses > 0} it reads the payload in the ring itself (zero copy, as
 * {@code poll} hands it over) that many times, slowly, so an overwrite while the consumer is
 * still reading shows up as a mismatch.
 */
public final class Checker implements RecordHandler {
    private final int[] lengths;
    private final int inPlacePasses;
    private final int[] seeds = new int[64];
    private int count;
    private boolean bad;

    /** {@code lengths[seed]} is the payload length of record {@code seed} (index 0 unused). */
    public Checker(final int[] lengths, final int inPlacePasses) {
        this.lengths = lengths;
        this.inPlacePasses = inPlacePasses;
    }

    @Override
    public void onRecord(final int type, final MemorySegment buffer, final long offset, final int length) {
        final int seed = type == RecordDescriptor.TYPE_FIRST_USER ? seedOfLength(length) : type - RecordDescriptor.TYPE_FIRST_USER;
        boolean ok = seed >= 1 && seed < lengths.length && length == lengths[seed];
        if (ok) {
            if (inPlacePasses == 0) {
                ok = Payloads.matches(buffer, offset, length, seed);
            } else {
                for (int pass = 0; pass < inPlacePasses; pass++) {
                    ok &= Payloads.matchesSlowly(buffer, offset, length, seed);
                }
            }
        }
        if (!ok) {
            bad = true;
        }
        if (count < seeds.length) {
            seeds[count] = seed;
        }
        count++;
    }

    /**
     * Records written with {@code offerBatch} all carry type {@code TYPE_FIRST_USER}: their
     * seed is the one whose length they have (the tests give each record a distinct length).
     */
    private int seedOfLength(final int length) {
        for (int seed = 1; seed < lengths.length; seed++) {
            if (lengths[seed] == length) {
                return seed;
            }
        }
        return 0;
    }

    /** Records delivered so far. */
    public int count() {
        return count;
    }

    /** The seed of the {@code i}-th record delivered, 0 if fewer were delivered. */
    public int seed(final int i) {
        return i < count && i < seeds.length ? seeds[i] : 0;
    }

    /** True when some record had the wrong length or bytes for its seed. */
    public boolean bad() {
        return bad;
    }

    /** True when exactly the records {@code first .. last} were delivered, in that order, all intact. */
    public boolean delivered(final int first, final int last) {
        return !bad && inOrder(first, last);
    }

    /** True when the seeds {@code first .. last} were delivered, each once, in that order (bytes not considered). */
    public boolean inOrder(final int first, final int last) {
        if (count != last - first + 1 || count > seeds.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (seeds[i] != first + i) {
                return false;
            }
        }
        return true;
    }
}
