package doms.bench;

/**
 * The measured part of a trial, as a consumer sees it: it opens {@code warm} nanoseconds after
 * the first record arrived (the JIT and the caches settle in between) and closes at the end
 * record. Updated once per batch, never per record.
 */
final class Window {
    private final long warmNanos;
    private long first;
    private boolean started;
    private boolean marked;
    private long markAt;
    private long markRecords;
    private long markBytes;

    Window(final long warmNanos) {
        this.warmNanos = warmNanos;
    }

    /** After a batch that delivered something: {@code records} and {@code bytes} so far. */
    void progress(final long now, final long records, final long bytes) {
        if (marked) {
            return;
        }
        if (!started) {
            started = true;
            first = now;
            markAt = now;
        } else if (now - first >= warmNanos) {
            marked = true;
            markAt = now;
            markRecords = records;
            markBytes = bytes;
        }
    }

    /** The answer line of a consumer: window figures, totals, checks, CPU. */
    String result(final long end, final long records, final long bytes, final long errors, final long cpuNanos, final long wallNanos) {
        final long from = marked ? markAt : first;
        return KeyValues.format("ok", "total", records, "records", records - markRecords, "bytes", bytes - markBytes,
                "nanos", Math.max(0, end - from), "warmed", marked ? 1 : 0, "errors", errors, "cpu_ns", cpuNanos,
                "wall_ns", wallNanos);
    }
}
