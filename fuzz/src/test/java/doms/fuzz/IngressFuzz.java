package doms.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.pholser.junit.quickcheck.From;
import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.sw.EthernetFrame;
import edu.berkeley.cs.jqf.fuzz.Fuzz;
import edu.berkeley.cs.jqf.fuzz.JQF;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.runner.RunWith;

/**
 * The fuzz targets: a hostile guest's slot memory against the switch's ingress (attach, ring
 * validation, record parsing, frame classification, forwarding). Each input runs on the real
 * switch over a real shared slot; the oracles hold for every input.
 */
@RunWith(JQF.class)
public class IngressFuzz {
    private static final ReferenceModel MODEL = new ReferenceModel(FuzzRig.PAGES, FuzzRig.MAX_FRAME, FuzzRig.F, FuzzRig.P);

    /** Structure-aware: mostly valid rings and frames with targeted corruption. */
    @Fuzz
    public void structured(@From(SlotGenerator.class) final HostileSlot slot) {
        check(slot);
    }

    /** Raw bytes: the TX ring's two positions (as 16-bit values) and its data area, straight from the fuzzer. */
    @Fuzz
    public void raw(final InputStream in) throws IOException {
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
            check(new HostileSlot(slot.toArray(ValueLayout.JAVA_BYTE), "raw " + producer + "/" + consumer));
        }
    }

    static void check(final HostileSlot slot) {
        final FuzzRig rig = FuzzRig.get();
        final ReferenceModel.Expected expected = MODEL.expect(slot.bytes());
        final long peerDropsBefore = rig.sw().ports().stream().filter(p -> p.slot() == FuzzRig.SLOT_P).findFirst().orElseThrow().dropsFull();
        final FuzzRig.Outcome out = rig.run(slot); // any exception here fails the input
        // Bounded work: the rig's round limit was never the reason it stopped.
        assertTrue("switch still busy after " + out.rounds() + " rounds", out.rounds() < (int) (SlotDescriptor.fileLength(FuzzRig.PAGES) / 8 / FuzzRig.BUDGET) + 4);
        // Nothing crosses tenants; nothing arrives with a source other than F's binding.
        assertEquals("frames delivered to the other tenant", 0, out.atO());
        for (final byte[] frame : out.atP()) {
            assertEquals("delivered source", FuzzRig.F, EthernetFrame.source(MemorySegment.ofArray(frame), 0));
        }
        // Other ports' state is untouched.
        assertTrue("peer quarantined", !out.p().quarantined());
        assertTrue("other tenant quarantined", !out.o().quarantined());
        assertEquals("other tenant got frames", 0, out.o().framesOut());
        // Quarantine exactly when the input breaks the ring rules (differential with the model).
        assertEquals("quarantine (model: " + expected.why() + ", input: " + slot + ")", expected.quarantine(), out.quarantined());
        assertEquals("spoofed drops", expected.spoofed(), out.f().dropsSpoofed());
        assertEquals("malformed drops", expected.malformed(), out.f().dropsMalformed());
        // Delivered frames: the model's, in order, less any the peer's full ring dropped (counted).
        final long droppedFull = out.p().dropsFull() - peerDropsBefore;
        assertEquals("delivered + dropped for a full ring", expected.toPeer().size(), out.atP().size() + droppedFull);
        assertSubsequence(expected.toPeer(), out.atP());
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
