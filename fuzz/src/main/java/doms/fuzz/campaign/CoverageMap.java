package doms.fuzz.campaign;

/**
 * Everything the campaign has covered: per site, the AFL hit-count buckets seen so far
 * (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+). An execution is interesting when it reaches a
 * site never reached or a bucket never seen at a site.
 */
final class CoverageMap {
    private final byte[] seen = new byte[EdgeCounts.SIZE];
    private int sites;

    /** Folds one execution into the map and clears it; true when it covered something new. */
    boolean absorb(final EdgeCounts run) {
        boolean fresh = false;
        final int n = Math.min(run.touchedCount, EdgeCounts.SIZE);
        for (int k = 0; k < n; k++) {
            final int i = run.touched[k];
            final int count = run.hits[i] & 0xFF;
            if (count == 0) {
                continue; // listed twice by racing threads, already folded
            }
            run.hits[i] = 0;
            final int bucket = bucket(count);
            final int before = seen[i];
            if ((before & bucket) == 0) {
                if (before == 0) {
                    sites++;
                }
                seen[i] = (byte) (before | bucket);
                fresh = true;
            }
        }
        run.touchedCount = 0;
        return fresh;
    }

    /** Sites (method entries, branch arms, switch arms) reached at least once. */
    int sites() {
        return sites;
    }

    static int bucket(final int count) {
        if (count <= 3) {
            return 1 << (count - 1);
        }
        if (count <= 7) {
            return 8;
        }
        if (count <= 15) {
            return 16;
        }
        if (count <= 31) {
            return 32;
        }
        return count <= 127 ? 64 : 128;
    }
}
