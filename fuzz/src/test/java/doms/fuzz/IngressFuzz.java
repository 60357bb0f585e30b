package doms.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.pholser.junit.quickcheck.From;
import doms.net.VirtioNetHeader;
import doms.net.Vxlan;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.net.EthernetFrame;
import edu.berkeley.cs.jqf.fuzz.Fuzz;
import edu.berkeley.cs.jqf.fuzz.JQF;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.runner.RunWith;

/**
 * The switch's side: a hostile guest's slot memory (and a datagram from the network) against
 * the switch's ingress (attach, ring validation, record parsing, frame classification,
 * forwarding). Each input runs on the real switch over a real shared slot; the oracles hold
 * for every input. The guest's side is {@link GuestSideFuzz}.
 */
@RunWith(JQF.class)
public class IngressFuzz {
    private static final ReferenceModel MODEL = new ReferenceModel(FuzzRig.PAGES, FuzzRig.MAX_FRAME, FuzzRig.F, FuzzRig.P);

    /**
     * The switch's verdicts on a hostile slot: the model's rule for each input, then what became
     * of its frames. A drop on the peer's full ring needs records that start at another place
     * than the peer's ring does (their padding then differs): {@code structured} starts its
     * records anywhere, {@code raw} at 0, where it never happened in 10^7 executions.
     */
    private static final List<String> RING_RULES = List.of("quarantine: TX producer position", "quarantine: bad padding",
            "quarantine: bad record header", "quarantine: record overruns", "no quarantine: empty", "no quarantine: valid",
            "spoofed frame dropped", "malformed frame dropped", "frame delivered to the peer");
    /** {@code raw} writes only the TX ring's positions and data; {@code structured} the whole slot. */
    private static final List<String> SLOT_RULES = Stream.concat(
            Stream.of("quarantine: slot header", "quarantine: ring header", "quarantine: RX positions"),
            Stream.concat(RING_RULES.stream(), Stream.of("frame dropped on the peer's full ring", "offloaded record delivered to the peer"))).toList();
    private static final Map<String, Outcomes> OUTCOMES = Map.of(
            "structured", new Outcomes(SLOT_RULES),
            "raw", new Outcomes(RING_RULES),
            "uplink", new Outcomes(List.of("malformed", "unknown VNI", "spoofed", "delivered to tenant 1", "delivered to tenant 2",
                    "addressed to F alone")),
            "race", new Outcomes(List.of("F not quarantined", "F quarantined: TX ring: corrupt record", "F quarantined: TX ring: corrupt position",
                    "frames delivered to the peer", "a ring rule rewritten")));

    /** Each outcome a target can name, with how often its campaign reached it (read by the campaign at its end). */
    public static Map<String, Long> outcomes(final String target) {
        return OUTCOMES.get(target).counts();
    }

    /** Structure-aware: mostly valid rings and frames with targeted corruption. */
    @Fuzz
    public void structured(@From(SlotGenerator.class) final HostileSlot slot) {
        check(slot, OUTCOMES.get("structured"));
    }

    /** Raw bytes: the TX ring's two positions (as 16-bit values) and its data area, straight from the fuzzer. */
    @Fuzz
    public void raw(@From(RawInput.class) final InputStream in) throws IOException {
        final long capacity = RingDescriptor.capacity(FuzzRig.PAGES);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(FuzzRig.PAGES), 4096);
            SlotDescriptor.initialise(slot, FuzzRig.SLOT_F, FuzzRig.PAGES, FuzzRig.MAX_FRAME);
            final MemorySegment tx = SlotDescriptor.txRing(slot, FuzzRig.PAGES);
            final byte[] head = in.readNBytes(4);
            final long producer = head.length < 4 ? 0 : ((head[0] & 0xFF) << 8 | (head[1] & 0xFF));
            final long consumer = head.length < 4 ? 0 : ((head[2] & 0xFF) << 8 | (head[3] & 0xFF));
            tx.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, producer);
            tx.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, consumer);
            final byte[] data = in.readNBytes((int) capacity);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, tx, RingDescriptor.DATA_OFFSET, data.length);
            check(new HostileSlot(slot.toArray(ValueLayout.JAVA_BYTE), "raw " + producer + "/" + consumer), OUTCOMES.get("raw"));
        }
    }

    /**
     * A datagram from the network against the switch's uplink: its length (two bytes, big-endian),
     * then the VXLAN header and inner frame straight from the fuzzer. Oracles: nothing crashes; malformed, unknown-VNI and spoofed
     * packets are counted as such; a valid frame reaches exactly the guests of its VNI's tenant
     * that the forwarding rules name, unchanged; nothing goes back out of the uplink.
     */
    @Fuzz
    public void uplink(@From(RawInput.class) final InputStream in) throws IOException {
        // The datagram's length comes first (u16), so that a mutation that appends bytes does
        // not change the datagram: a child keeps its parent's size.
        final int hi = in.read();
        final int lo = in.read();
        final int declared = hi < 0 || lo < 0 ? 0 : hi << 8 | lo;
        final byte[] datagram = in.readNBytes(Math.min(declared, UPLINK_MAX_DATAGRAM)); // up to the input's end
        final FuzzRig.UplinkOutcome out = FuzzRig.get().runUplink(datagram);
        final MemorySegment d = MemorySegment.ofArray(datagram);
        final int innerLength = datagram.length - Vxlan.HEADER_LENGTH;
        final int vni = Vxlan.vni(d, 0, datagram.length);
        final boolean shaped = vni >= 0 && innerLength >= EthernetFrame.HEADER_LENGTH && innerLength <= FuzzRig.MAX_FRAME;
        final boolean known = shaped && (vni == 1 || vni == 2);
        final long source = known ? EthernetFrame.source(d, Vxlan.HEADER_LENGTH) : 0;
        final boolean badFrame = known && (Mac.isGroup(source)
                || EthernetFrame.etherType(d, Vxlan.HEADER_LENGTH) == EthernetFrame.TPID_8021Q && innerLength < EthernetFrame.TAGGED_HEADER_LENGTH);
        final boolean spoofed = known && !badFrame && (vni == 1 ? source == FuzzRig.F || source == FuzzRig.P : source == FuzzRig.O);
        assertEquals("malformed", !shaped || badFrame ? 1 : 0, out.malformed());
        assertEquals("unknown VNI", shaped && !known ? 1 : 0, out.unknownVni());
        assertEquals("spoofed", spoofed ? 1 : 0, out.spoofed());
        assertEquals("sent back out of the uplink", 0, out.echoed());
        final boolean delivered = known && !badFrame && !spoofed;
        final long destination = delivered ? EthernetFrame.destination(d, Vxlan.HEADER_LENGTH) : 0;
        // Tenant 1 has F and P: P gets it unless it is addressed to F alone. Tenant 2 has only O.
        final boolean toP = delivered && vni == 1 && destination != FuzzRig.F;
        final boolean toO = delivered && vni == 2;
        final byte[] inner = java.util.Arrays.copyOfRange(datagram, Math.min(datagram.length, Vxlan.HEADER_LENGTH), datagram.length);
        assertEquals("frames at P", toP ? 1 : 0, out.atP().size());
        assertEquals("frames at O", toO ? 1 : 0, out.atO().size());
        for (final byte[] frame : toP ? out.atP() : out.atO()) {
            assertTrue("the delivered frame is the inner frame, unchanged", java.util.Arrays.equals(inner, frame));
        }
        final Outcomes outcomes = OUTCOMES.get("uplink");
        outcomes.reachedIf(!shaped || badFrame, "malformed");
        outcomes.reachedIf(shaped && !known, "unknown VNI");
        outcomes.reachedIf(spoofed, "spoofed");
        outcomes.reachedIf(toP, "delivered to tenant 1");
        outcomes.reachedIf(toO, "delivered to tenant 2");
        outcomes.reachedIf(delivered && vni == 1 && !toP, "addressed to F alone");
    }

    /**
     * A racing attacker inside the campaign ({@link Race}): honest frames in F's TX ring, rewritten
     * by a second thread on a schedule from the input while the switch parses. Oracles: nothing
     * crashes; nothing delivered to P carries a source other than F's binding; nothing reaches the
     * other tenant; P and O are never quarantined and O's port sends nothing; F is quarantined only
     * if the attacker touched a ring rule (a record's length or type, a position); bounded work.
     */
    @Fuzz
    public void race(@From(RawInput.class) final InputStream in) throws IOException {
        final Race.Outcome out = Race.run(in);
        for (final long source : out.sourcesAtP()) {
            assertEquals("delivered source", FuzzRig.F, source);
        }
        assertEquals("frames delivered to the other tenant", 0, out.atO());
        assertTrue("peer quarantined", !out.p().quarantined());
        assertTrue("other tenant quarantined", !out.o().quarantined());
        assertEquals("other tenant got frames", 0, out.framesOutOfO());
        if (!out.ringRuleTouched()) {
            assertTrue("F quarantined although only frame bytes were rewritten: " + out.schedule(), !out.f().quarantined());
            assertEquals("frames taken from F", out.frames(), out.f().framesIn());
        }
        assertTrue("frames delivered to P beyond what F's port took", out.sourcesAtP().size() <= out.f().framesIn());
        final Outcomes outcomes = OUTCOMES.get("race");
        outcomes.reached(out.f().quarantined() ? "F quarantined: " + Outcomes.normalise(out.f().quarantineReason()) : "F not quarantined");
        outcomes.reachedIf(!out.sourcesAtP().isEmpty(), "frames delivered to the peer");
        outcomes.reachedIf(out.ringRuleTouched(), "a ring rule rewritten");
        assertTrue("switch still busy after " + out.rounds() + " rounds",
                out.rounds() < 64 * ((int) (SlotDescriptor.fileLength(FuzzRig.PAGES) / 8 / FuzzRig.BUDGET) + 4) + 64);
    }


    /** The largest UDP payload over IPv4. */
    static final int UPLINK_MAX_DATAGRAM = 65507;

    static void check(final HostileSlot slot, final Outcomes outcomes) {
        final FuzzRig rig = FuzzRig.get();
        final ReferenceModel.Expected expected = MODEL.expect(slot.bytes());
        final long peerDropsBefore = rig.sw().ports().stream().filter(p -> p.slot() == FuzzRig.SLOT_P).findFirst().orElseThrow().dropsFull();
        final FuzzRig.Outcome out = rig.run(slot); // any exception here fails the input
        // Bounded work: the rig's round limit was never the reason it stopped.
        assertTrue("switch still busy after " + out.rounds() + " rounds", out.rounds() < (int) (SlotDescriptor.fileLength(FuzzRig.PAGES) / 8 / FuzzRig.BUDGET) + 4);
        // Nothing crosses tenants; nothing arrives with a source other than F's binding.
        assertEquals("frames delivered to the other tenant", 0, out.atO());
        for (int i = 0; i < out.atP().size(); i++) {
            final int at = out.typesAtP().get(i) == SlotDescriptor.TYPE_VNET_FRAME ? VirtioNetHeader.LENGTH : 0;
            assertEquals("delivered source", FuzzRig.F, EthernetFrame.source(MemorySegment.ofArray(out.atP().get(i)), at));
        }
        // Other ports' state is untouched.
        assertTrue("peer quarantined", !out.p().quarantined());
        assertTrue("other tenant quarantined", !out.o().quarantined());
        assertEquals("other tenant got frames", 0, out.o().framesOut());
        // Quarantine exactly when the input breaks the ring rules (differential with the model).
        assertEquals("quarantine (model: " + expected.why() + ", switch: " + out.f().quarantineReason() + ", input: " + slot + ")",
                expected.quarantine(), out.quarantined());
        assertEquals("spoofed drops", expected.spoofed(), out.f().dropsSpoofed());
        assertEquals("malformed drops", expected.malformed(), out.f().dropsMalformed());
        // Delivered frames: the model's, in order, less any the peer's full ring dropped (counted).
        final long droppedFull = out.p().dropsFull() - peerDropsBefore;
        assertEquals("delivered + dropped for a full ring", expected.toPeer().size(), out.atP().size() + droppedFull);
        assertSubsequence(expected.toPeer(), out.atP());
        outcomes.reached((expected.quarantine() ? "quarantine: " : "no quarantine: ") + expected.why());
        outcomes.reachedIf(expected.spoofed() > 0, "spoofed frame dropped");
        outcomes.reachedIf(expected.malformed() > 0, "malformed frame dropped");
        outcomes.reachedIf(!out.atP().isEmpty(), "frame delivered to the peer");
        outcomes.reachedIf(out.typesAtP().contains(SlotDescriptor.TYPE_VNET_FRAME), "offloaded record delivered to the peer");
        outcomes.reachedIf(droppedFull > 0, "frame dropped on the peer's full ring");
    }

    private static void assertSubsequence(final List<byte[]> expected, final List<byte[]> actual) {
        int e = 0;
        for (final byte[] frame : actual) {
            while (e < expected.size() && !java.util.Arrays.equals(expected.get(e), frame)) {
                e++;
            }
            assertTrue("a delivered frame the model did not expect, or out of order", e < expected.size());
            e++;
        }
    }
}
