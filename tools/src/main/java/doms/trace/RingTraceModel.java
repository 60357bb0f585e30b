package doms.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ring's trace, ready for TLC: the producer's and the consumer's NDJSON logs
 * ({@code LABEL.producer.ndjson}, {@code LABEL.consumer.ndjson}; either may be missing: that
 * side is the hostile peer), abstracted into Ring.tla's units and merged into one sequence in
 * an order the protocol fixes, then written as a module {@code TraceRingLog} (the events) and a
 * {@code TraceRing.cfg} (Ring's constants) for spec/ring/TraceRing.tla.
 *
 * <p>Abstraction (bytes to cells): a position p is p / 8; a position the Java would reject
 * for its alignment, or beyond +-2^30 bytes, becomes a value Ring rejects too (-1, or the
 * clamp). A header type is -1 (negative), 0, 1 (PAD) or 2 (any user type); a user length is
 * ceil(len / 8) payload cells (clamped to C), one more when it is above the ring's maximum
 * payload but rounds to the same cells (so a maximum that is not a multiple of 8, the switch's
 * 1518, is still exact), a PAD length len / 8 when len is a multiple of 8 (else -1).
 *
 * <p>Merge: the two logs are per process; only the two position words connect them. A
 * consumer's load of the tail (PollBegin with read) must sit where tailF holds the value it
 * loaded, a producer's load of the head (ProducerRefresh) where headF holds its value. The
 * merge takes consumer events while they are enabled, else producer events, and never lets one
 * side overwrite a position value the other side's next load still needs. Both sides'
 * release store followed by an acquire load of the other word may be reordered by the
 * hardware (store-load, allowed by release/acquire): when the merge is stuck on exactly that
 * pattern it takes the load first; Ring's ProducerPublish/ProducerRefresh (and
 * PollEnd/PollBegin) commute, so the result is still a behaviour of Ring if the original was.
 * When no order exists the rest is appended as it is and TLC names the first event that does
 * not fit.
 */
public final class RingTraceModel {
    /** One merged event: where it came from, the Ring action it stands for, and its TLA+ record. */
    public record Event(String source, int line, String action, Map<String, Object> fields) {
    }

    private static final long CLAMP = 1L << 30;

    private final String name;
    private final long capacity;
    private final int maxPayload;
    private final String hostile;
    private final int limit;
    private final long startAt;
    private final long startCache;
    private final long startTailCache;
    private final List<Event> events;
    private final List<String> notes = new ArrayList<>();

    private RingTraceModel(final String name, final long capacity, final int maxPayload, final String hostile,
            final int limit, final long startAt, final long startCache, final long startTailCache, final List<Event> events) {
        this.name = name;
        this.capacity = capacity;
        this.maxPayload = maxPayload;
        this.hostile = hostile;
        this.limit = limit;
        this.startAt = startAt;
        this.startCache = startCache;
        this.startTailCache = startTailCache;
        this.events = events;
    }

    /** Loads the logs of one ring from {@code dir}: LABEL.producer.ndjson and/or LABEL.consumer.ndjson. */
    public static RingTraceModel load(final Path dir, final String label) throws IOException {
        final Path p = dir.resolve(label + ".producer.ndjson");
        final Path c = dir.resolve(label + ".consumer.ndjson");
        final List<String> notes = new ArrayList<>();
        final List<Map<String, Object>> prod = Files.exists(p) ? read(p, notes) : null;
        final List<Map<String, Object>> cons = Files.exists(c) ? read(c, notes) : null;
        if (prod == null && cons == null) {
            throw new IOException("no trace " + label + " in " + dir);
        }
        final Map<String, Object> attach = (prod != null ? prod : cons).getFirst();
        if (!"Attach".equals(attach.get("e"))) {
            throw new IOException(label + ": the first event is not Attach");
        }
        final long capacity = (Long) attach.get("capacity");
        final int maxPayload = (int) (long) (Long) attach.get("maxPayload");
        final String hostile = prod == null ? "producer" : cons == null ? "consumer" : "none";
        int limit = 1;
        if (cons != null) {
            for (final Map<String, Object> e : cons) {
                if ("PollBegin".equals(e.get("e"))) {
                    limit = (int) Math.max(limit, (Long) e.get("limit"));
                }
            }
        }
        final List<Event> ps = prod == null ? List.of() : abstractLog(label + ".producer.ndjson", prod, capacity, maxPayload);
        final List<Event> cs = cons == null ? List.of() : abstractLog(label + ".consumer.ndjson", cons, capacity, maxPayload);
        // Where the ends attached (a restarted switch resumes mid-stream) and the consumer
        // position the producer loaded then; a log without them is of a new ring, at 0.
        final Map<String, Object> own = (cons != null ? cons : prod).getFirst();
        final long startAt = own.containsKey("at") ? pos(num(own, "at")) : 0;
        final Map<String, Object> producerAttach = prod != null ? prod.getFirst() : own;
        final long startCache = producerAttach.containsKey("cache") ? pos(num(producerAttach, "cache")) : startAt;
        // The producer position the consumer started with: its head (attach) or one capacity
        // behind it (attachAt, a restarted switch).
        final long startTailCache = cons != null && cons.getFirst().containsKey("cache") ? pos(num(cons.getFirst(), "cache")) : startAt;
        final RingTraceModel model = new RingTraceModel(label, capacity, maxPayload, hostile, limit, startAt, startCache, startTailCache,
                merge(ps, cs));
        model.notes.addAll(notes);
        if (prod != null && cons != null && own.containsKey("at") && pos(num(prod.getFirst(), "at")) != startAt) {
            model.notes.add("the two ends attached at different positions");
        }
        return model;
    }

    /**
     * The events of one log. A process killed by SIGKILL (the demo's switch) leaves a prefix of
     * its log, which may end inside a line: that last, incomplete line is dropped (and noted).
     */
    private static List<Map<String, Object>> read(final Path file, final List<String> notes) throws IOException {
        final List<Map<String, Object>> out = new ArrayList<>();
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        final List<String> lines = text.lines().toList();
        final boolean complete = text.isEmpty() || text.endsWith("\n");
        int n = 0;
        for (final String line : lines) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            if (n == lines.size() && !complete) {
                notes.add(file.getFileName() + ":" + n + ": incomplete last line dropped (the process was killed)");
                break;
            }
            final Map<String, Object> m = Ndjson.parse(line);
            m.put("#line", (long) n);
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no complete event");
        }
        return out;
    }

    static long pos(final long bytes) {
        if ((bytes & 7) != 0) {
            return -1;
        }
        return Math.max(-CLAMP, Math.min(CLAMP, bytes / 8));
    }

    static long type(final long t) {
        return t < 0 ? -1 : Math.min(t, 2);
    }

    /**
     * A header's length in payload cells. A user length above {@code maxPayload} that rounds up
     * to the same number of cells (1519 and 1520 when the maximum is 1518) is made one cell
     * longer, so that Ring rejects exactly the lengths the Java rejects.
     */
    static long length(final long type, final long len, final long cells, final long maxPayload) {
        if (len < 0) {
            return -1;
        }
        if (type == 1) {
            return len % 8 == 0 ? Math.min(len / 8, cells) : -1;
        }
        final long rounded = (len + 7) / 8;
        return Math.min(len > maxPayload ? Math.max(rounded, (maxPayload + 7) / 8 + 1) : rounded, cells);
    }

    private static List<Event> abstractLog(final String source, final List<Map<String, Object>> log, final long capacity,
            final long maxPayload) {
        final long cells = capacity / 8;
        final List<Event> out = new ArrayList<>();
        for (final Map<String, Object> e : log) {
            final String action = (String) e.get("e");
            final int line = (int) (long) (Long) e.get("#line");
            final Map<String, Object> f = new LinkedHashMap<>();
            switch (action) {
                case "Attach" -> {
                    continue;
                }
                case "ProducerWrite" -> {
                    f.put("e", "W");
                    f.put("at", pos(num(e, "at")));
                    f.put("tail", pos(num(e, "tail")));
                    f.put("size", num(e, "size") / 8);
                    f.put("sig", bool(e, "sig"));
                    // where the record's header is (its signal is Ring's choice); none for a PAD alone
                    f.put("rat", "pad".equals(e.get("kind")) ? -1L : pos(num(e, "tail")) - num(e, "size") / 8);
                    f.put("kind", e.get("kind"));
                }
                case "ProducerPublish" -> {
                    f.put("e", "P");
                    f.put("tail", pos(num(e, "tail")));
                }
                case "ProducerRefresh" -> {
                    f.put("e", "R");
                    f.put("head", pos(num(e, "head")));
                    f.put("ok", e.get("ok"));
                }
                case "PollBegin" -> {
                    f.put("e", "B");
                    f.put("head", pos(num(e, "head")));
                    f.put("read", e.get("read"));
                    f.put("tail", pos(num(e, "tail")));
                    f.put("ok", e.get("ok"));
                    // the header peeked at head (0 when the cache covered head and none was loaded)
                    f.put("t", type(num(e, "type")));
                    f.put("len", length(num(e, "type"), num(e, "len"), cells, maxPayload));
                    f.put("sig", bool(e, "sig"));
                }
                case "ConsumerRead" -> {
                    f.put("e", "D");
                    f.put("at", pos(num(e, "at")));
                    f.put("t", type(num(e, "type")));
                    f.put("len", length(num(e, "type"), num(e, "len"), cells, maxPayload));
                    f.put("sig", bool(e, "sig"));
                    f.put("ok", e.get("ok"));
                    f.put("head", pos(num(e, "head")));
                }
                case "PollEnd" -> {
                    f.put("e", "E");
                    f.put("head", pos(num(e, "head")));
                }
                case "QuarantinedRelease" -> {
                    f.put("e", "X");
                    f.put("head", pos(num(e, "head")));
                }
                default -> throw new IllegalArgumentException(source + ":" + line + ": unknown event " + action);
            }
            f.put("line", (long) line);
            out.add(new Event(source, line, action, f));
        }
        // nsize: the size of the record offered after this write (Ring's pSize').
        for (int i = 0; i < out.size(); i++) {
            final Map<String, Object> f = out.get(i).fields();
            if (!"W".equals(f.get("e"))) {
                continue;
            }
            long next = (Long) f.get("size");
            if (!"pad".equals(f.get("kind"))) {
                for (int j = i + 1; j < out.size(); j++) {
                    if ("W".equals(out.get(j).fields().get("e"))) {
                        next = (Long) out.get(j).fields().get("size");
                        break;
                    }
                }
            }
            f.put("nsize", next);
        }
        return out;
    }

    private static boolean bool(final Map<String, Object> e, final String key) {
        if (!(e.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException("line " + e.get("#line") + ": no boolean " + key);
        }
        return b;
    }

    private static long num(final Map<String, Object> e, final String key) {
        return (Long) e.get(key);
    }

    /** The merge described in the class comment. */
    static List<Event> merge(final List<Event> prod, final List<Event> cons) {
        if (prod.isEmpty() || cons.isEmpty()) {
            return new ArrayList<>(prod.isEmpty() ? cons : prod);
        }
        final List<Event> out = new ArrayList<>(prod.size() + cons.size());
        int i = 0;
        int j = 0;
        long tailF = 0;
        long headF = 0;
        // The producer's private tail in the merged order: where it has written up to. Before
        // its first write, the position that write starts from.
        long written = Long.MAX_VALUE;
        for (final Event e : prod) {
            if (is(e, "W")) {
                written = (Long) e.fields().get("at");
                break;
            }
        }
        while (i < prod.size() || j < cons.size()) {
            final Event pe = i < prod.size() ? prod.get(i) : null;
            final Event ce = j < cons.size() ? cons.get(j) : null;
            final boolean cOk = ce != null && consumerMay(ce, tailF, headF, written, prod, i);
            final boolean pOk = pe != null && producerMay(pe, tailF, headF, cons, j);
            Event take = null;
            if (cOk) {
                take = ce;
                j++;
            } else if (pOk) {
                take = pe;
                i++;
            } else if (pe != null && is(pe, "P") && i + 1 < prod.size() && is(prod.get(i + 1), "R")
                    && (Long) prod.get(i + 1).fields().get("head") == headF) {
                // store-load reordering in the producer: its load of head before its store of tail
                out.add(prod.get(i + 1));
                take = pe;
                i += 2;
            } else if (ce != null && is(ce, "E") && j + 1 < cons.size() && readsTail(cons.get(j + 1))
                    && (Long) cons.get(j + 1).fields().get("tail") == tailF) {
                out.add(cons.get(j + 1));
                take = ce;
                j += 2;
            }
            if (take == null) {
                // No order fits: keep the rest as logged; TLC reports the first event that does not fit.
                out.addAll(prod.subList(i, prod.size()));
                out.addAll(cons.subList(j, cons.size()));
                break;
            }
            if (is(take, "W")) {
                written = (Long) take.fields().get("tail");
            } else if (is(take, "P")) {
                tailF = (Long) take.fields().get("tail");
            } else if (is(take, "E") || is(take, "X")) {
                headF = (Long) take.fields().get("head");
            }
            out.add(take);
        }
        return out;
    }

    private static boolean is(final Event e, final String code) {
        return code.equals(e.fields().get("e"));
    }

    private static boolean readsTail(final Event e) {
        return is(e, "B") && Boolean.TRUE.equals(e.fields().get("read")) && Boolean.TRUE.equals(e.fields().get("ok"));
    }

    private static boolean consumerMay(final Event ce, final long tailF, final long headF, final long written,
            final List<Event> prod, final int i) {
        if (readsTail(ce)) {
            return (Long) ce.fields().get("tail") == tailF;
        }
        // A header loaded past the published tail (a signalled record) is read after its write.
        if (is(ce, "D") && Boolean.TRUE.equals(ce.fields().get("sig"))) {
            return (Long) ce.fields().get("at") < written;
        }
        if (is(ce, "B") && Boolean.FALSE.equals(ce.fields().get("read")) && Boolean.TRUE.equals(ce.fields().get("sig"))) {
            return (Long) ce.fields().get("head") < written;
        }
        if (is(ce, "E") || is(ce, "X")) {
            final Long need = nextValue(prod, i, "R", "head");
            return need == null || need != headF || (Long) ce.fields().get("head") == headF;
        }
        return true;
    }

    private static boolean producerMay(final Event pe, final long tailF, final long headF, final List<Event> cons, final int j) {
        if (is(pe, "R")) {
            return (Long) pe.fields().get("head") == headF;
        }
        if (is(pe, "P")) {
            Long need = null;
            for (int k = j; k < cons.size(); k++) {
                if (readsTail(cons.get(k))) {
                    need = (Long) cons.get(k).fields().get("tail");
                    break;
                }
            }
            return need == null || need != tailF;
        }
        return true;
    }

    private static Long nextValue(final List<Event> log, final int from, final String code, final String key) {
        for (int k = from; k < log.size(); k++) {
            if (is(log.get(k), code)) {
                return (Long) log.get(k).fields().get(key);
            }
        }
        return null;
    }

    /** The most writes (records and lone PADs) between two publishes: 1 for offer, more for offerDeferred/offerBatch. */
    long batchMax() {
        long max = 1;
        long run = 0;
        for (final Event e : events) {
            final Object code = e.fields().get("e");
            if ("W".equals(code)) {
                max = Math.max(max, ++run);
            } else if ("P".equals(code)) {
                run = 0;
            }
        }
        return max;
    }

    public String name() {
        return name;
    }

    public List<Event> events() {
        return events;
    }

    public List<String> notes() {
        return notes;
    }

    public String hostile() {
        return hostile;
    }

    /**
     * Writes TraceRingLog.tla (this trace) and TraceRing.cfg (its constants) into dir, which
     * must also hold copies of Ring.tla, FifoChannel.tla and TraceRing.tla; TLC then checks
     * TraceRing.tla with that configuration.
     */
    public void write(final Path dir) throws IOException {
        final StringBuilder tla = new StringBuilder(64 * events.size() + 256);
        tla.append("---- MODULE TraceRingLog ----\nEXTENDS Integers\n");
        tla.append("\\* Generated by doms.trace.RingTraceModel from the trace ").append(name).append("; never edited.\n");
        tla.append("TraceLog == <<\n");
        for (int k = 0; k < events.size(); k++) {
            tla.append("  [");
            boolean first = true;
            for (final Map.Entry<String, Object> f : events.get(k).fields().entrySet()) {
                if (f.getKey().equals("kind")) {
                    continue;
                }
                if (!first) {
                    tla.append(", ");
                }
                first = false;
                tla.append(f.getKey()).append(" |-> ");
                final Object v = f.getValue();
                if (v instanceof String s) {
                    tla.append('"').append(s).append('"');
                } else if (v instanceof Boolean b) {
                    tla.append(b ? "TRUE" : "FALSE");
                } else {
                    tla.append(v);
                }
            }
            tla.append(k + 1 < events.size() ? "],\n" : "]\n");
        }
        tla.append(">>\n");
        long firstSize = 1;
        long records = 0;
        boolean padPending = false; // a PAD alone (FULL) is written for the record offered next
        for (final Event e : events) {
            if ("W".equals(e.fields().get("e"))) {
                padPending = "pad".equals(e.fields().get("kind"));
                if (!padPending) {
                    records++;
                }
            }
        }
        if (padPending) {
            records++; // the log ends before that record was written: Ring's N must still allow its PAD
        }
        for (final Event e : events) {
            if ("W".equals(e.fields().get("e"))) {
                firstSize = (Long) e.fields().get("size");
                break;
            }
        }
        final long cells = capacity / 8;
        final StringBuilder cfg = new StringBuilder();
        cfg.append("\\* Generated by doms.trace.RingTraceModel for the trace ").append(name).append(".\n");
        cfg.append("CONSTANTS\n");
        cfg.append("    C = ").append(cells).append('\n');
        cfg.append("    MaxRec = ").append(Math.min(cells - 1, (maxPayload + 7) / 8 + 1)).append('\n');
        cfg.append("    N = ").append(records).append('\n');
        cfg.append("    Limit = ").append(limit).append('\n');
        cfg.append("    BatchMax = ").append(batchMax()).append('\n');
        cfg.append("    Signals = {TRUE, FALSE}\n");
        cfg.append("    Hostile = \"").append(hostile).append("\"\n");
        cfg.append("    MaxPos = 0\n");
        cfg.append("    Flaw = \"none\"\n");
        cfg.append("    TailReads <- TraceTailReads\n");
        cfg.append("    HeaderReads <- TraceHeaderReads\n");
        cfg.append("    HeadReads <- TraceHeadReads\n");
        cfg.append("    StartPos <- TraceStartPos\n");
        cfg.append("    AttachHeadReads <- TraceAttachHeadReads\n");
        cfg.append("    ConsumerStartCache <- TraceConsumerStartCache\n");
        cfg.append("INIT TraceInit\nNEXT TraceNext\n");
        cfg.append("INVARIANTS\n");
        final List<String> invariants = hostile.equals("none")
                ? List.of("NoTornRead", "NoOverwrite", "FifoOrder", "NoCorrupt", "NoOutOfBounds", "BoundedWork", "NoReplay", "ProducerWindow")
                : List.of("NoOutOfBounds", "BoundedWork", "NoReplay");
        for (final String inv : invariants) {
            cfg.append("    ").append(inv).append('\n');
        }
        cfg.append("POSTCONDITION TraceAccepted\n");
        cfg.append("CHECK_DEADLOCK FALSE\n");
        tla.append("FirstSize == ").append(firstSize).append('\n');
        tla.append("StartAt == ").append(startAt).append('\n');
        tla.append("StartCache == ").append(startCache).append('\n');
        tla.append("StartTailCache == ").append(startTailCache).append("\n====\n");
        Files.writeString(dir.resolve("TraceRingLog.tla"), tla, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("TraceRing.cfg"), cfg, StandardCharsets.UTF_8);
    }
}
