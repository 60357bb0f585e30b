package doms.trace;

import doms.pool.Mac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One pool run's trace, ready for TLC: the per-process NDJSON logs
 * ({@code LABEL.pool-PID.ndjson}: the control plane with its in-process guests, and one file
 * per switch process) abstracted into Pool.tla's terms and merged into one sequence, then
 * written as a module {@code TracePoolLog} (the events and the run's constants) and a
 * {@code TracePool.cfg} for spec/pool/TracePool.tla.
 *
 * <p>Abstraction: slot k is {@code "sK"}; a guest is its MAC (Pool's identity of a guest),
 * taken from the Assign events; a tenant t is {@code "tT"}; a destination is a guest, Bcast (a
 * group address) or UnknownMac. A frame the switch forwards is named by its source port's
 * guest and its tag, which the guest's GuestSend maps to the guest's count of its sends (Pool's
 * frame id). A TX position in bytes becomes the number of that generation's frames the guest
 * had committed up to it (the guest logs where each of its records ends).
 *
 * <p>Merge: program order within each file, plus the order the protocol fixes across files:
 * a switch's reading of a binding entry (each Discover) comes after the control plane's write
 * of the value it read and before the next write of that entry; a Scrub that saw the switch's
 * ack after that ack; a Forward after the GuestSend of its frame; a SwitchCrash after every
 * event of the switch it reaped, the next switch's first event after that crash; AllocatePool
 * after the first switch's StartSwitch. Among the events these allow, the earliest file's
 * next event goes first (the control plane's file is first, switches follow in boot order).
 * When no order exists (a cycle, which only a wrong log can make), the rest is appended as
 * logged and TLC names the first event that does not fit.
 */
public final class PoolTraceModel {
    private static final Pattern FILE = Pattern.compile("(.+)\\.pool-(\\d+)\\.ndjson");
    private static final String[] STATES = {"FREE", "ASSIGNED", "RETIRING"};

    private final String name;
    private final List<RingTraceModel.Event> events;
    private final int slots;
    private final Map<String, String> tenant;
    private final Map<String, List<String>> dst;
    private final int maxSend;
    private final int crashes;
    private final List<String> notes;

    private PoolTraceModel(final String name, final List<RingTraceModel.Event> events, final int slots,
            final Map<String, String> tenant, final Map<String, List<String>> dst, final int maxSend, final int crashes,
            final List<String> notes) {
        this.name = name;
        this.events = events;
        this.slots = slots;
        this.tenant = tenant;
        this.dst = dst;
        this.maxSend = maxSend;
        this.crashes = crashes;
        this.notes = notes;
    }

    /** The labels of the pool traces in dir (each has one or more LABEL.pool-PID.ndjson files). */
    public static Set<String> labels(final Path dir) throws IOException {
        final TreeSet<String> labels = new TreeSet<>();
        try (var files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                final var m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    labels.add(m.group(1));
                }
            }
        }
        return labels;
    }

    /** One process's log: its events in program order. */
    record Log(String source, List<Map<String, Object>> lines) {
        boolean isSwitch() {
            return !lines.isEmpty() && "StartSwitch".equals(lines.getFirst().get("e"));
        }

        long boot() {
            return (Long) lines.getFirst().get("boot");
        }
    }

    public static PoolTraceModel load(final Path dir, final String label) throws IOException {
        final List<Log> logs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (final Path p : files.sorted().toList()) {
                final var m = FILE.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(label)) {
                    logs.add(new Log(p.getFileName().toString(), read(p)));
                }
            }
        }
        if (logs.isEmpty()) {
            throw new IOException("no pool trace " + label + " in " + dir);
        }
        return build(label, logs);
    }

    private static List<Map<String, Object>> read(final Path file) throws IOException {
        final List<Map<String, Object>> out = new ArrayList<>();
        int n = 0;
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (!line.isBlank()) {
                final Map<String, Object> m = Ndjson.parse(line);
                m.put("#line", (long) n);
                out.add(m);
            }
        }
        return out;
    }

    /**
     * A switch logs SaveTx right after its store into the status; a SIGKILL between the two
     * leaves a log without the line, and the next switch then resumes (Discover) from a
     * position the trace never saved. The status word has one writer, the switch's SaveTx, so
     * the resume position proves that SaveTx happened: it is put back at the end of the killed
     * switch's log (noted), where Pool still checks it like any other (its frames must have
     * been forwarded). Only a resume position ahead of the last logged one is restored; one
     * behind it is left for TLC to reject.
     */
    static void restoreLostSaves(final String label, final List<Log> logs, final List<String> notes) {
        final List<Log> switches = logs.stream().filter(Log::isSwitch).toList();
        for (int k = 0; k + 1 < switches.size(); k++) {
            final List<Map<String, Object>> killed = switches.get(k).lines();
            final Map<Long, Long> saved = new HashMap<>(); // slot -> last position logged (attach or SaveTx)
            final Map<Long, Long> generation = new HashMap<>();
            for (final Map<String, Object> e : killed) {
                if ("Discover".equals(e.get("e")) && "attach".equals(e.get("kind"))) {
                    saved.put(num(e, "slot"), num(e, "txh"));
                    generation.put(num(e, "slot"), num(e, "gen"));
                } else if ("SaveTx".equals(e.get("e"))) {
                    saved.put(num(e, "slot"), num(e, "head"));
                }
            }
            long line = killed.isEmpty() ? 0 : num(killed.getLast(), "#line");
            for (final Map<String, Object> e : switches.get(k + 1).lines()) {
                if (!"Discover".equals(e.get("e")) || !"attach".equals(e.get("kind"))) {
                    continue;
                }
                final long slot = num(e, "slot");
                final Long last = saved.get(slot);
                if (last != null && num(e, "gen") == generation.get(slot) && num(e, "txh") > last) {
                    final Map<String, Object> restored = new LinkedHashMap<>();
                    restored.put("e", "SaveTx");
                    restored.put("slot", slot);
                    restored.put("head", num(e, "txh"));
                    restored.put("#line", ++line);
                    killed.add(restored);
                    notes.add(label + ": " + switches.get(k).source() + " was killed between its SaveTx of slot " + slot
                            + " at " + num(e, "txh") + " and the log line; restored (as line " + line + ") from "
                            + switches.get(k + 1).source() + "'s resume position");
                }
            }
        }
    }

    private static long num(final Map<String, Object> e, final String key) {
        return (Long) e.get(key);
    }

    static String slot(final long k) {
        return "s" + k;
    }

    /** Abstracts and merges the logs of one run (control plane files first, then switches by boot). */
    static PoolTraceModel build(final String label, final List<Log> unordered) {
        final List<Log> logs = new ArrayList<>();
        unordered.stream().filter(l -> !l.isSwitch()).forEach(logs::add);
        unordered.stream().filter(Log::isSwitch).sorted((a, b) -> Long.compare(a.boot(), b.boot())).forEach(logs::add);
        final List<String> notes = new ArrayList<>();
        restoreLostSaves(label, logs, notes);

        // Guests, their tenants and generations, from the control plane's Assign events.
        final Map<String, String> guestOf = new HashMap<>(); // "slot/gen" -> guest
        final Map<String, String> tenant = new LinkedHashMap<>();
        int slots = 0;
        int crashes = 0;
        for (final Log log : logs) {
            for (final Map<String, Object> e : log.lines()) {
                switch ((String) e.get("e")) {
                    case "Assign" -> {
                        final String g = Mac.format(num(e, "mac"));
                        if (tenant.containsKey(g)) {
                            notes.add(g + " is assigned twice: Pool's guests live once");
                        }
                        guestOf.put(num(e, "slot") + "/" + num(e, "gen"), g);
                        tenant.put(g, "t" + num(e, "tenant"));
                        slots = (int) Math.max(slots, num(e, "slot") + 1);
                    }
                    case "AllocatePool" -> slots = (int) Math.max(slots, num(e, "slots"));
                    case "SwitchCrash" -> crashes++;
                    default -> { }
                }
            }
        }

        // Guest sends: id, destination, and where each record ends in its generation's TX ring.
        final Map<String, Long> idOfTag = new HashMap<>();         // "guest/tag" -> id
        final Map<String, List<Long>> tails = new HashMap<>();     // "slot/gen" -> record ends
        final Map<String, List<String>> dst = new LinkedHashMap<>();
        tenant.keySet().forEach(g -> dst.put(g, new ArrayList<>()));
        int maxSend = 0;
        final List<List<RingTraceModel.Event>> abstracted = new ArrayList<>();
        for (final Log log : logs) {
            final Map<Long, Long> gen = new HashMap<>(); // slot -> current generation (this file's view)
            final List<RingTraceModel.Event> out = new ArrayList<>();
            for (final Map<String, Object> e : log.lines()) {
                final String action = (String) e.get("e");
                final Map<String, Object> f = new LinkedHashMap<>();
                f.put("e", action);
                final long s = e.containsKey("slot") ? num(e, "slot") : -1;
                switch (action) {
                    case "StartSwitch", "AllocatePool", "SwitchCrash" -> { }
                    case "Assign" -> {
                        gen.put(s, num(e, "gen"));
                        f.put("g", Mac.format(num(e, "mac")));
                        f.put("slot", slot(s));
                        f.put("gen", num(e, "gen"));
                    }
                    case "Retire" -> {
                        f.put("g", guestOf.getOrDefault(s + "/" + num(e, "gen"), "none"));
                        f.put("slot", slot(s));
                        f.put("gen", num(e, "gen"));
                    }
                    case "Scrub" -> {
                        f.put("slot", slot(s));
                        f.put("gen", num(e, "gen"));
                        f.put("acked", e.get("acked"));
                    }
                    case "GuestSend" -> {
                        final long n = gen.getOrDefault(s, 0L);
                        final String g = guestOf.getOrDefault(s + "/" + n, "none");
                        final long id = num(e, "n");
                        idOfTag.put(g + "/" + num(e, "tag"), id);
                        tails.computeIfAbsent(s + "/" + n, k -> new ArrayList<>()).add(num(e, "tail"));
                        final List<String> d = dst.get(g);
                        if (d != null && d.size() == id - 1) {
                            d.add(address(num(e, "dst"), tenant));
                        }
                        maxSend = (int) Math.max(maxSend, id);
                        f.put("g", g);
                        f.put("slot", slot(s));
                        f.put("gen", n);
                        f.put("id", id);
                    }
                    case "Discover" -> {
                        final String kind = (String) e.get("kind");
                        f.put("kind", kind);
                        f.put("slot", slot(s));
                        f.put("gen", num(e, "gen"));
                        switch (kind) {
                            case "attach" -> {
                                gen.put(s, num(e, "gen"));
                                f.put("mac", Mac.format(num(e, "mac")));
                                f.put("txh", num(e, "txh")); // bytes until the frames are known
                                f.put("quar", e.get("quarantined"));
                            }
                            case "defensive" -> {
                                gen.remove(s);
                                f.put("state", STATES[(int) num(e, "state")]);
                                f.put("pgen", num(e, "pgen"));
                            }
                            case "detach" -> gen.remove(s);
                            default -> { }
                        }
                    }
                    case "Forward" -> {
                        f.put("slot", slot(s));
                        f.put("gen", num(e, "gen"));
                        f.put("writer", guestOf.getOrDefault(s + "/" + num(e, "gen"), "none"));
                        f.put("tag", num(e, "tag"));
                        final Set<String> targets = new TreeSet<>();
                        final long mask = num(e, "targets");
                        for (int k = 0; k < 64; k++) {
                            if ((mask & (1L << k)) != 0) {
                                targets.add(slot(k));
                            }
                        }
                        f.put("targets", targets);
                    }
                    case "SaveTx", "PublishTx" -> {
                        f.put("slot", slot(s));
                        f.put("#gen", gen.getOrDefault(s, 0L));
                        f.put("head", num(e, "head"));
                    }
                    default -> throw new IllegalArgumentException(log.source() + ":" + e.get("#line") + ": unknown event " + action);
                }
                final int line = (int) num(e, "#line");
                f.put("line", (long) line);
                out.add(new RingTraceModel.Event(log.source(), line, action, f));
            }
            abstracted.add(out);
        }
        // Now that every send is known: frame ids and positions in frames.
        for (final List<RingTraceModel.Event> log : abstracted) {
            for (final RingTraceModel.Event ev : log) {
                final Map<String, Object> f = ev.fields();
                final String sk = ev.action().equals("Discover") || ev.action().equals("Forward") || ev.action().endsWith("Tx")
                        ? ((String) f.get("slot")).substring(1) : null;
                switch (ev.action()) {
                    case "Forward" -> {
                        final Long id = idOfTag.get(f.get("writer") + "/" + f.remove("tag"));
                        f.put("id", id == null ? -1L : id);
                        f.put("targets", f.remove("targets"));
                        f.put("line", f.remove("line"));
                    }
                    case "SaveTx", "PublishTx" -> {
                        f.put("head", frames(tails.get(sk + "/" + f.remove("#gen")), (Long) f.get("head")));
                        f.put("line", f.remove("line"));
                    }
                    case "Discover" -> {
                        if ("attach".equals(f.get("kind"))) {
                            f.put("txh", frames(tails.get(sk + "/" + f.get("gen")), (Long) f.get("txh")));
                        }
                    }
                    default -> { }
                }
            }
        }
        for (final Map.Entry<String, List<String>> d : dst.entrySet()) {
            while (d.getValue().size() < maxSend) {
                d.getValue().add("unknown"); // never sent: Pool only asks that Dst is long enough
            }
        }
        return new PoolTraceModel(label, merge(logs, abstracted), slots, tenant, dst, maxSend, crashes, notes);
    }

    /** A destination MAC as Pool's address: a guest, Bcast (a group address) or UnknownMac. */
    static String address(final long mac, final Map<String, String> guests) {
        if (Mac.isGroup(mac)) {
            return "bcast";
        }
        final String g = Mac.format(mac);
        return guests.containsKey(g) ? g : "unknown";
    }

    /**
     * A TX position in bytes as the number of records the guest committed up to it (each record's
     * end is logged; a PAD the guest wrote alone on FULL may lie between two of them).
     */
    static long frames(final List<Long> ends, final long bytes) {
        if (bytes == 0 || ends == null) {
            return bytes == 0 ? 0 : -1;
        }
        long n = 0;
        for (final long end : ends) {
            if (end <= bytes) {
                n++;
            }
        }
        return n;
    }

    /** The merge described in the class comment. */
    static List<RingTraceModel.Event> merge(final List<Log> logs, final List<List<RingTraceModel.Event>> abstracted) {
        // Nodes are (file, index); edges go from an event to those that must follow it.
        final int files = logs.size();
        final List<int[]> nodes = new ArrayList<>();
        final Map<Long, Integer> id = new HashMap<>();
        for (int f = 0; f < files; f++) {
            for (int i = 0; i < abstracted.get(f).size(); i++) {
                id.put(key(f, i), nodes.size());
                nodes.add(new int[] {f, i});
            }
        }
        final List<List<Integer>> next = new ArrayList<>();
        nodes.forEach(n -> next.add(new ArrayList<>()));
        final int[] indegree = new int[nodes.size()];
        final java.util.function.BiConsumer<Long, Long> edge = (a, b) -> {
            if (a != null && b != null && !a.equals(b)) {
                next.get(id.get(a)).add(id.get(b));
                indegree[id.get(b)]++;
            }
        };
        // Program order.
        for (int f = 0; f < files; f++) {
            for (int i = 1; i < abstracted.get(f).size(); i++) {
                edge.accept(key(f, i - 1), key(f, i));
            }
        }
        // The control plane's writes of each binding entry, in its order; sends and crashes by name.
        final Map<String, List<Long>> writers = new HashMap<>();   // slot -> writes, in order
        final Map<String, String> written = new HashMap<>();       // node -> "state/gen"
        final Map<String, Long> send = new HashMap<>();            // "guest/id" -> node
        final Map<Long, Long> crashOf = new HashMap<>();           // switch pid -> SwitchCrash node
        Long allocate = null;
        for (int f = 0; f < files; f++) {
            final List<RingTraceModel.Event> log = abstracted.get(f);
            for (int i = 0; i < log.size(); i++) {
                final Map<String, Object> e = log.get(i).fields();
                final String state = switch ((String) e.get("e")) {
                    case "Assign" -> "ASSIGNED";
                    case "Retire" -> "RETIRING";
                    case "Scrub" -> "FREE";
                    default -> null;
                };
                if (state != null) {
                    writers.computeIfAbsent((String) e.get("slot"), k -> new ArrayList<>()).add(key(f, i));
                    written.put(Long.toString(key(f, i)), state + "/" + e.get("gen"));
                } else if ("GuestSend".equals(e.get("e"))) {
                    send.put(e.get("g") + "/" + e.get("id"), key(f, i));
                } else if ("SwitchCrash".equals(e.get("e"))) {
                    crashOf.put(num(logs.get(f).lines().get(i), "pid"), key(f, i));
                } else if ("AllocatePool".equals(e.get("e"))) {
                    allocate = key(f, i);
                }
            }
        }
        final Map<String, Long> ackOf = new HashMap<>(); // "slot/gen" -> the first ack
        boolean firstSwitch = true;
        Long previousCrash = null;
        for (int f = 0; f < files; f++) {
            if (!logs.get(f).isSwitch()) {
                continue;
            }
            final List<RingTraceModel.Event> log = abstracted.get(f);
            if (!log.isEmpty()) {
                edge.accept(previousCrash, key(f, 0));
                if (firstSwitch) {
                    edge.accept(key(f, 0), allocate);
                    firstSwitch = false;
                }
                final long pid = num(logs.get(f).lines().getFirst(), "pid");
                previousCrash = crashOf.get(pid);
                edge.accept(key(f, log.size() - 1), previousCrash);
            }
            for (int i = 0; i < log.size(); i++) {
                final Map<String, Object> e = log.get(i).fields();
                switch ((String) e.get("e")) {
                    case "Discover" -> {
                        final String kind = (String) e.get("kind");
                        final String seen = switch (kind) {
                            case "attach" -> "ASSIGNED/" + e.get("gen");
                            case "defensive" -> e.get("state") + "/" + e.get("gen");
                            default -> "RETIRING/" + e.get("gen");
                        };
                        readsBinding(writers.getOrDefault((String) e.get("slot"), List.of()), written, seen, key(f, i), edge);
                        if (kind.equals("detach") || kind.equals("ack")) {
                            ackOf.putIfAbsent(e.get("slot") + "/" + e.get("gen"), key(f, i));
                        }
                    }
                    case "Forward" -> edge.accept(send.get(e.get("writer") + "/" + e.get("id")), key(f, i));
                    default -> { }
                }
            }
        }
        for (int f = 0; f < files; f++) {
            final List<RingTraceModel.Event> log = abstracted.get(f);
            for (int i = 0; i < log.size(); i++) {
                final Map<String, Object> e = log.get(i).fields();
                if ("Scrub".equals(e.get("e")) && Boolean.TRUE.equals(e.get("acked"))) {
                    edge.accept(ackOf.get(e.get("slot") + "/" + e.get("gen")), key(f, i));
                }
            }
        }
        // Kahn's algorithm; among the events ready, the earliest file's goes first.
        final int[] head = new int[files];
        final List<RingTraceModel.Event> out = new ArrayList<>(nodes.size());
        while (out.size() < nodes.size()) {
            int pick = -1;
            for (int f = 0; f < files && pick < 0; f++) {
                if (head[f] < abstracted.get(f).size() && indegree[id.get(key(f, head[f]))] == 0) {
                    pick = f;
                }
            }
            if (pick < 0) {
                for (int f = 0; f < files; f++) {
                    out.addAll(abstracted.get(f).subList(head[f], abstracted.get(f).size()));
                }
                break;
            }
            final int node = id.get(key(pick, head[pick]));
            out.add(abstracted.get(pick).get(head[pick]++));
            for (final int n : next.get(node)) {
                indegree[n]--;
            }
        }
        return out;
    }

    /** A read of slot's binding entry that saw value seen: after the write of it, before the next write. */
    private static void readsBinding(final List<Long> writes, final Map<String, String> written, final String seen,
            final long read, final java.util.function.BiConsumer<Long, Long> edge) {
        int w = -1;
        for (int k = 0; k < writes.size(); k++) {
            if (seen.equals(written.get(Long.toString(writes.get(k))))) {
                w = k;
                break;
            }
        }
        if (w < 0 && !seen.equals("FREE/0")) {
            return; // a value nobody wrote: TLC will say so
        }
        if (w >= 0) {
            edge.accept(writes.get(w), read);
        }
        if (w + 1 < writes.size()) {
            edge.accept(read, writes.get(w + 1));
        }
    }

    private static long key(final int file, final int index) {
        return ((long) file << 32) | index;
    }

    public String name() {
        return name;
    }

    public List<RingTraceModel.Event> events() {
        return events;
    }

    public List<String> notes() {
        return notes;
    }

    /** Writes TracePoolLog.tla (this trace and its constants) and TracePool.cfg into dir. */
    public void write(final Path dir) throws IOException {
        final StringBuilder tla = new StringBuilder(96 * events.size() + 512);
        tla.append("---- MODULE TracePoolLog ----\nEXTENDS Integers, Sequences, TLC\n");
        tla.append("\\* Generated by doms.trace.PoolTraceModel from the trace ").append(name).append("; never edited.\n");
        tla.append("TraceGuests == ").append(value(tenant.keySet())).append('\n');
        final Set<String> slotNames = new LinkedHashSet<>();
        for (int k = 0; k < slots; k++) {
            slotNames.add(slot(k));
        }
        tla.append("TraceSlots == ").append(value(slotNames)).append('\n');
        tla.append("TraceTenant == ").append(function(tenant)).append('\n');
        tla.append("TraceDst == ").append(function(dst)).append('\n');
        tla.append("TraceLog == <<\n");
        for (int k = 0; k < events.size(); k++) {
            tla.append("  [");
            boolean first = true;
            for (final Map.Entry<String, Object> f : events.get(k).fields().entrySet()) {
                if (!first) {
                    tla.append(", ");
                }
                first = false;
                tla.append(f.getKey()).append(" |-> ").append(value(f.getValue()));
            }
            tla.append(k + 1 < events.size() ? "],\n" : "]\n");
        }
        tla.append(">>\n====\n");
        final StringBuilder cfg = new StringBuilder();
        cfg.append("\\* Generated by doms.trace.PoolTraceModel for the trace ").append(name).append(".\n");
        cfg.append("CONSTANTS\n");
        cfg.append("    Guests <- TraceGuests\n    Slots <- TraceSlots\n    Tenant <- TraceTenant\n    Dst <- TraceDst\n");
        cfg.append("    Hostile = {}\n");
        cfg.append("    MaxSend = ").append(maxSend).append('\n');
        cfg.append("    MaxCrashes = ").append(crashes).append('\n');
        cfg.append("    Flaw = \"none\"\n");
        cfg.append("INIT TraceInit\nNEXT TraceNext\n");
        cfg.append("INVARIANTS\n");
        for (final String inv : List.of("TypeOK", "BindingIntegrity", "ExclusiveSlot", "ServesCurrentGeneration", "ScrubBeforeReuse",
                "TenantIsolation", "SourceBinding", "DuplicatesOnlyAfterCrash", "ResumePositions", "TraceCapabilityIsolation",
                "NoLossAcrossCrash")) {
            cfg.append("    ").append(inv).append('\n');
        }
        cfg.append("POSTCONDITION TraceAccepted\n");
        cfg.append("CHECK_DEADLOCK FALSE\n");
        Files.writeString(dir.resolve("TracePoolLog.tla"), tla, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("TracePool.cfg"), cfg, StandardCharsets.UTF_8);
    }

    private static String value(final Object v) {
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof Set<?> set) {
            final StringBuilder s = new StringBuilder("{");
            for (final Object o : set) {
                s.append(s.length() > 1 ? ", " : "").append(value(o));
            }
            return s.append('}').toString();
        }
        if (v instanceof List<?> list) {
            final StringBuilder s = new StringBuilder("<<");
            for (final Object o : list) {
                s.append(s.length() > 2 ? ", " : "").append(value(o));
            }
            return s.append(">>").toString();
        }
        return String.valueOf(v);
    }

    /** A function on guests as TLC's {@code a :> x @@ b :> y}. */
    private static String function(final Map<String, ?> f) {
        if (f.isEmpty()) {
            return "[g \\in {} |-> \"none\"]";
        }
        final StringBuilder s = new StringBuilder();
        for (final Map.Entry<String, ?> e : f.entrySet()) {
            s.append(s.isEmpty() ? "" : " @@ ").append('(').append(value(e.getKey())).append(" :> ").append(value(e.getValue())).append(')');
        }
        return s.toString();
    }
}
