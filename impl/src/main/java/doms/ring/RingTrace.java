package doms.ring;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Event log of one end of one ring, for trace validation against spec/ring/Ring.tla
 * (proofs-notes/trace-validation.md). One NDJSON file per ring end and process, one line per
 * spec action the Java performs, with the values of the spec variables the action changes
 * (positions in bytes, as in memory).
 *
 * <p>Off unless the JVM starts with {@code -Ddoms.trace=DIR}. {@link #ON} is a
 * {@code static final} constant, so every {@code if (RingTrace.ON)} in the ring classes is
 * folded away by the JIT when tracing is off: no field is read, nothing is allocated. Files
 * are named {@code LABEL.producer.ndjson} / {@code LABEL.consumer.ndjson}, where LABEL is what
 * the process last passed to {@link #label(String)} before attaching that end (else
 * {@code ring-PID-N}). Each event is one write(2) of one whole line, so the log of a process
 * killed by SIGKILL is the prefix of its events up to the kill; {@link #flushAll()} (also run
 * at JVM exit) closes the files.
 */
public final class RingTrace {
    /** Where traces go, or null when tracing is off. */
    public static final String DIR = System.getProperty("doms.trace");
    /** True when tracing is on (a constant: the JIT removes the tracing branches when false). */
    public static final boolean ON = DIR != null && !DIR.isEmpty();

    private static final List<RingTrace> OPEN = new ArrayList<>();
    private static String nextLabel;
    private static int unnamed;

    private final FileOutputStream out;
    private final StringBuilder line = new StringBuilder(128);

    private RingTrace(final FileOutputStream out) {
        this.out = out;
    }

    /** Names the traces of the ring ends this process attaches next (until the next call). */
    public static synchronized void label(final String label) {
        nextLabel = label;
    }

    /** Opens the log of one ring end; called by the ring classes only when {@link #ON}. */
    static synchronized RingTrace open(final String role, final long capacity, final int maxPayload, final long at, final long cache) {
        if (OPEN.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(RingTrace::flushAll));
        }
        final String label = nextLabel != null ? nextLabel : "ring-" + ProcessHandle.current().pid() + "-" + unnamed++;
        try {
            final Path dir = Path.of(DIR);
            Files.createDirectories(dir);
            final RingTrace trace = new RingTrace(new FileOutputStream(dir.resolve(label + "." + role + ".ndjson").toFile()));
            OPEN.add(trace);
            // at: this end's own position; cache: the other end's position as this end took it
            // (a producer loads the consumer's; a consumer starts with its own)
            trace.begin("Attach").str("role", role).num("capacity", capacity).num("maxPayload", maxPayload)
                    .num("at", at).num("cache", cache).end();
            return trace;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ring trace in " + DIR, e);
        }
    }

    /** Flushes and closes every open log (tests call it between runs; also a shutdown hook). */
    public static synchronized void flushAll() {
        for (final RingTrace t : OPEN) {
            try {
                t.out.close();
            } catch (IOException e) {
                // best effort at exit; a truncated trace fails its check
            }
        }
        OPEN.clear();
    }

    // ---- one event: begin(action).num(...)...end() ----

    RingTrace begin(final String action) {
        line.setLength(0);
        line.append("{\"e\":\"").append(action).append('"');
        return this;
    }

    RingTrace num(final String key, final long value) {
        line.append(",\"").append(key).append("\":").append(value);
        return this;
    }

    RingTrace bool(final String key, final boolean value) {
        line.append(",\"").append(key).append("\":").append(value);
        return this;
    }

    RingTrace str(final String key, final String value) {
        line.append(",\"").append(key).append("\":\"").append(value).append('"');
        return this;
    }

    void end() {
        line.append("}\n");
        synchronized (RingTrace.class) {
            try {
                out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- the events (spec action names; positions and lengths in bytes) ----

    /**
     * ProducerWrite: kind rec, padrec (PAD to the end, then the record) or pad (the PAD alone,
     * FULL); sig: the record's header was stored signalled (offer) or plain (offerDeferred,
     * offerBatch); a PAD is never signalled, and for kind pad sig is only the caller's choice.
     */
    void producerWrite(final String kind, final long at, final long size, final int length, final int type, final boolean sig,
            final long tail) {
        begin("ProducerWrite").str("kind", kind).num("at", at).num("size", size).num("len", length).num("type", type)
                .bool("sig", sig).num("tail", tail).end();
    }

    void producerPublish(final long tail) {
        begin("ProducerPublish").num("tail", tail).end();
    }

    /** ProducerRefresh: the consumer position loaded, and whether it was accepted. */
    void producerRefresh(final long head, final boolean ok) {
        begin("ProducerRefresh").num("head", head).bool("ok", ok).end();
    }

    /**
     * PollBegin: read = the producer position was loaded (only when the cache says nothing is
     * ahead and the header at head, peek, is not a reachable signalled one); peek is 0 when it was not loaded.
     */
    void pollBegin(final long head, final boolean read, final long tail, final boolean ok, final int limit, final long peek) {
        begin("PollBegin").num("head", head).bool("read", read).num("tail", tail).bool("ok", ok).num("limit", limit)
                .num("type", RecordDescriptor.type(peek)).num("len", RecordDescriptor.length(peek))
                .bool("sig", RecordDescriptor.signalled(peek)).end();
    }

    /** ConsumerRead: the header loaded once at position at, and the new private head (or CORRUPT). */
    void consumerRead(final long at, final long header, final boolean ok, final long head) {
        begin("ConsumerRead").num("at", at).num("type", RecordDescriptor.type(header)).num("len", RecordDescriptor.length(header))
                .bool("sig", RecordDescriptor.signalled(header)).bool("ok", ok).num("head", head).end();
    }

    void pollEnd(final long head) {
        begin("PollEnd").num("head", head).end();
    }

    /** The release of what a poll consumed before it found a corrupt record (no spec action). */
    void quarantinedRelease(final long head) {
        begin("QuarantinedRelease").num("head", head).end();
    }
}
