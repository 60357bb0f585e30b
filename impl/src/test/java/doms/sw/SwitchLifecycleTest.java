package doms.sw;

import static doms.sw.SwitchForwardingTest.A;
import static doms.sw.SwitchForwardingTest.B;
import static doms.sw.SwitchForwardingTest.C;
import static doms.sw.SwitchRig.drain;
import static doms.sw.SwitchRig.marks;
import static doms.sw.SwitchRig.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.guest.GuestPort;
import doms.net.PcapWriter;
import doms.pool.Mac;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.poll.IdleStrategy;
import doms.ring.RingDescriptor;
import doms.shm.SharedFile;
import doms.shm.SharedMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery of new and retired guests through the binding table, the release handshake through
 * the status file, a switch that is killed and restarted, its main loop, and capture.
 */
class SwitchLifecycleTest {
    private static long txConsumerPosition(final MemorySegment slot) {
        return SlotDescriptor.txRing(slot, SwitchRig.PAGES).get(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET);
    }

    @Test
    void aNewBindingIsDiscoveredAtTheNextDiscoveryRoundWithoutBeingTold() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            SlotDescriptor.initialise(rig.slots.memory(0), 0, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            rig.bindings.assign(0, A, 1, 0);
            for (int round = 1; round < Switch.DISCOVERY_EVERY; round++) {
                rig.sw.round();
            }
            assertThat(rig.port(0)).isNull();
            assertThat(rig.status.opaqueServedGeneration(0)).isZero();
            rig.sw.round();
            assertThat(rig.port(0)).isNotNull();
            assertThat(rig.status.opaqueServedGeneration(0)).isEqualTo(1);
            assertThat(rig.status.opaqueHeartbeat()).isEqualTo(Switch.DISCOVERY_EVERY);
        }
    }

    @Test
    void aRetiredGuestIsReleasedThroughTheStatusFileWithItsLastCounters() throws IOException {
        try (SwitchRig rig = new SwitchRig(3, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            final GuestPort d = rig.assign(2, SwitchForwardingTest.D, 1);
            final SwitchPort old = rig.port(0);
            send(a, B, A, 1);
            send(a, B, A, 2);
            rig.settle();
            assertThat(marks(b)).containsExactly(1, 2);
            rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN, 0); // only a detach can bring it back now

            assertThat(rig.bindings.retire(0)).isEqualTo(1);
            rig.sw.round(); // not a discovery round: still served
            assertThat(rig.status.lvReleasedGeneration(0)).isZero();
            assertThat(rig.port(0)).isNotNull();

            assertThat(rig.unmapped[0]).isZero();
            rig.sw.discoverNow();
            assertThat(rig.port(0)).isNull();
            assertThat(rig.sw.ports()).hasSize(2);
            assertThat(rig.status.lvReleasedGeneration(0)).isEqualTo(1);
            assertThat(rig.unmapped[0]).isEqualTo(1); // the switch let go of the generation's memory
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN)).isEqualTo(2);
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isEqualTo(144);

            // The retired guest's address is unknown now: a frame to it floods to the tenant's others.
            send(b, A, B, 3);
            send(b, Mac.BROADCAST, B, 4);
            rig.settle();
            assertThat(marks(d)).containsExactly(3, 4);
            assertThat(drain(a)).isEmpty();
            assertThat(old.framesOut()).isZero(); // nothing is written into the released memory
            assertThat(rig.port(1).framesIn()).isEqualTo(2);
        }
    }

    @Test
    void aGenerationRetiredBeforeTheSwitchServedItIsReleasedAnyway() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            SlotDescriptor.initialise(rig.slots.memory(1), 1, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            rig.bindings.assign(1, B, 1, 0);
            rig.bindings.retire(1);
            rig.sw.discoverNow();
            assertThat(rig.port(1)).isNull();
            assertThat(rig.status.opaqueServedGeneration(1)).isZero();
            assertThat(rig.status.lvReleasedGeneration(1)).isEqualTo(1);
            rig.bindings.free(1);
            rig.sw.discoverNow();
            assertThat(rig.status.lvReleasedGeneration(1)).isEqualTo(1);
            assertThat(rig.port(1)).isNull();
        }
    }

    @Test
    void aNewGenerationStartsAfreshAtPositionZeroWhateverItsPredecessorDid() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            for (int i = 0; i < 5; i++) {
                send(a, B, A, i);
            }
            rig.settle();
            assertThat(marks(b)).containsExactly(0, 1, 2, 3, 4);
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isEqualTo(5 * 72);
            assertThat(rig.status.opaqueResumePosition(1, SwitchStatus.ResumePosition.RX_PRODUCED)).isEqualTo(5 * 72);

            // Retire, free and re-assign between two discovery passes: the switch sees a newer generation.
            rig.bindings.retire(0);
            rig.bindings.free(0);
            a = rig.assign(0, Mac.parse("02:00:00:00:01:0e"), 1);
            final SwitchPort port = rig.port(0);
            assertThat(port.generation()).isEqualTo(2);
            assertThat(port.mac()).isEqualTo(Mac.parse("02:00:00:00:01:0e"));
            assertThat(rig.status.lvReleasedGeneration(0)).isEqualTo(1);
            assertThat(rig.status.opaqueServedGeneration(0)).isEqualTo(2);
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isZero();
            assertThat(port.framesIn()).isZero();

            send(a, B, Mac.parse("02:00:00:00:01:0e"), 9);
            rig.settle();
            assertThat(marks(b)).containsExactly(9);
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isEqualTo(72);
            assertThat(txConsumerPosition(rig.slots.memory(0))).isEqualTo(72);
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN)).isEqualTo(1);

            // The same for the receiving side: B's next generation gets frames from position 0.
            rig.bindings.retire(1);
            rig.sw.discoverNow();
            rig.bindings.free(1);
            final GuestPort b2 = rig.assign(1, B, 1);
            assertThat(rig.status.opaqueResumePosition(1, SwitchStatus.ResumePosition.RX_PRODUCED)).isZero();
            send(a, B, Mac.parse("02:00:00:00:01:0e"), 10);
            rig.settle();
            assertThat(marks(b2)).containsExactly(10);
            assertThat(rig.status.opaqueResumePosition(1, SwitchStatus.ResumePosition.RX_PRODUCED)).isEqualTo(72);
        }
    }

    @Test
    void renewServesTheSameGenerationAfreshFromPositionZero() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            for (int i = 0; i < 3; i++) {
                send(a, B, A, i);
            }
            rig.settle();
            assertThat(marks(b)).containsExactly(0, 1, 2);
            final SwitchPort before = rig.port(0);
            assertThat(before.framesIn()).isEqualTo(3);

            // A harness rewrites the slot from scratch (a guest's new memory), then renews the port.
            SlotDescriptor.initialise(rig.slots.memory(0), 0, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            rig.sw.renew(0);
            final SwitchPort after = rig.port(0);
            assertThat(after).isNotSameAs(before);
            assertThat(after.generation()).isEqualTo(before.generation());
            assertThat(after.framesIn()).isZero();
            assertThat(after.quarantined()).isFalse();
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isZero();
            assertThat(txConsumerPosition(rig.slots.memory(0))).isZero();

            final GuestPort fresh = GuestPort.attach(rig.slots.view(0));
            send(fresh, B, A, 7);
            rig.settle();
            assertThat(marks(b)).containsExactly(7);
            assertThat(rig.port(0).framesIn()).isEqualTo(1);
            rig.sw.renew(1); // B's RX ring starts again at 0: the next frame lands at its start
            rig.bindings.retire(0);
            rig.sw.discoverNow();
            rig.sw.renew(0); // a retiring slot is detached and not attached again
            assertThat(rig.port(0)).isNull();
        }
    }

    @Test
    void aSlotFreedUnderTheSwitchIsDetachedAndReleased() throws IOException {
        try (SwitchRig rig = new SwitchRig(1, 8)) {
            rig.assign(0, A, 1);
            rig.bindings.retire(0);
            rig.bindings.free(0);
            rig.sw.discoverNow();
            assertThat(rig.sw.ports()).isEmpty();
            assertThat(rig.status.lvReleasedGeneration(0)).isEqualTo(1);
        }
    }

    @Test
    void aRestartedSwitchResumesFromItsOwnStatusNotFromWhatTheGuestsWroteInTheirRings() throws IOException {
        try (SwitchRig rig = new SwitchRig(3, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            final GuestPort c = rig.assign(2, C, 2);
            for (int i = 0; i < 3; i++) {
                send(a, B, A, i);
            }
            send(c, B, C, 50); // B is unknown in tenant 2: flooded, to nobody
            send(c, B, A, 51); // spoofed
            rig.settle();
            assertThat(txConsumerPosition(rig.slots.memory(0))).isEqualTo(3 * 72);
            assertThat(rig.status.opaqueResumePosition(0, SwitchStatus.ResumePosition.TX_CONSUMED)).isEqualTo(3 * 72);
            assertThat(rig.status.opaqueResumePosition(1, SwitchStatus.ResumePosition.RX_PRODUCED)).isEqualTo(3 * 72);

            // The switch is killed. Meanwhile the guests rewrite positions only the switch should:
            // A rewinds its TX ring's consumer position (a switch trusting it would send 0..2 again),
            // B rewinds its RX ring's producer position (one trusting it would overwrite frame 0).
            SlotDescriptor.txRing(rig.slots.memory(0), SwitchRig.PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, 0L);
            SlotDescriptor.rxRing(rig.slots.memory(1), SwitchRig.PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, 0L);
            final Switch second = rig.crashAndRestart();
            // The restarted switch says its own positions again at once (what a predecessor that died
            // between its status store and its ring store never said; spec/pool MCPoolBugNoRepublish):
            // A gets its ring space back before sending anything, B sees every frame published.
            assertThat(txConsumerPosition(rig.slots.memory(0))).as("TX consumer position republished").isEqualTo(3 * 72);
            assertThat(SlotDescriptor.rxRing(rig.slots.memory(1), SwitchRig.PAGES).get(ValueLayout.JAVA_LONG,
                    RingDescriptor.PRODUCER_POSITION_OFFSET)).as("RX producer position republished").isEqualTo(3 * 72);
            assertThat(rig.status.lvBoots()).isEqualTo(2);
            assertThat(second.ports()).hasSize(3);
            assertThat(rig.port(0).framesIn()).isEqualTo(3); // counters of the same generation go on
            assertThat(rig.port(1).framesOut()).isEqualTo(3);
            assertThat(rig.port(2).dropsSpoofed()).isEqualTo(1);
            assertThat(rig.port(2).framesIn()).isEqualTo(2);
            assertThat(rig.status.lvReleasedGeneration(0)).isZero();

            send(a, B, A, 3);
            rig.settle();
            assertThat(marks(b)).containsExactly(0, 1, 2, 3);
            assertThat(rig.port(0).framesIn()).isEqualTo(4);
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN)).isEqualTo(4);
            assertThat(rig.status.opaqueCounter(2, SwitchStatus.SlotCounter.DROPS_SPOOFED)).isEqualTo(1);
            assertThat(txConsumerPosition(rig.slots.memory(0))).isEqualTo(4 * 72);
        }
    }

    @Test
    void aPortQuarantinedBeforeARestartStaysQuarantined() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            SlotDescriptor.txRing(rig.slots.memory(0), SwitchRig.PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, 5L);
            rig.sw.round();
            assertThat(rig.port(0).quarantined()).isTrue();
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(1);
            assertThat(rig.port(1).quarantined()).isFalse();

            // The guest puts its ring back in order: a new switch trusts it no more than the old one.
            SlotDescriptor.txRing(rig.slots.memory(0), SwitchRig.PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, 0L);
            rig.crashAndRestart();
            assertThat(rig.port(0).quarantined()).isTrue();
            assertThat(rig.port(0).quarantineReason()).contains("before the restart");
            assertThat(rig.port(1).quarantined()).isFalse();
            rig.sw.round();
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(1);
            send(b, Mac.BROADCAST, B, 1);
            rig.settle();
            assertThat(rig.port(0).framesOut()).isZero();
        }
    }

    @Test
    void runPollsUntilStoppedAndLeavesEveryCounterInTheStatus() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            send(a, B, A, 1);
            final int[] rounds = new int[1];
            final int[] work = new int[1];
            rig.sw.run(new IdleStrategy() {
                @Override
                public void idle(final int workCount) {
                    work[0] += workCount;
                    if (++rounds[0] == 1) {
                        rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN, 0); // unchanged since: no round republishes it
                    }
                    if (rounds[0] == 100) {
                        rig.sw.stop();
                    }
                }

                @Override
                public void reset() {
                }

                @Override
                public String spec() {
                    return "test";
                }
            });
            assertThat(rounds[0]).isEqualTo(100);
            assertThat(work[0]).isEqualTo(1);
            assertThat(rig.status.opaqueHeartbeat()).isEqualTo(100);
            assertThat(rig.status.opaqueCounter(0, SwitchStatus.SlotCounter.FRAMES_IN)).isEqualTo(1);
            assertThat(marks(b)).containsExactly(1);
        }
    }

    @Test
    void closingTheSwitchDetachesEveryPortAndLeavesItsCounters() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            rig.assign(1, B, 1);
            send(a, B, A, 1);
            rig.settle();
            rig.status.opaqueCounter(1, SwitchStatus.SlotCounter.FRAMES_OUT, 0);
            assertThat(SwitchRig.mappings(rig.pool.status())).isEqualTo(2); // the rig's and the switch's
            assertThat(SwitchRig.mappings(rig.pool.bindings())).isEqualTo(2);
            rig.sw.close();
            assertThat(SwitchRig.mappings(rig.pool.status())).isEqualTo(1);
            assertThat(SwitchRig.mappings(rig.pool.bindings())).isEqualTo(1);
            assertThat(rig.sourcesClosed).isEqualTo(1);
            assertThat(rig.unmapped).containsExactly(1, 1);
            assertThat(rig.sw.ports()).isEmpty();
            assertThat(rig.status.opaqueCounter(1, SwitchStatus.SlotCounter.FRAMES_OUT)).isEqualTo(1);
            assertThat(rig.status.lvReleasedGeneration(0)).isZero(); // a switch that stops releases nothing: a restart serves on
            rig.sw = rig.boot();
            assertThat(rig.sw.ports()).hasSize(2);
        }
    }

    @Test
    void aCaptureHoldsBothDirectionsOfItsPortOnly(@TempDir final Path tmp) throws IOException {
        try (SwitchRig rig = new SwitchRig(3, 8)) {
            final Path file = tmp.resolve("b.pcap");
            rig.sw.capture(1, PcapWriter.open(file)); // before B is attached
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            final GuestPort d = rig.assign(2, SwitchForwardingTest.D, 1);
            send(a, B, A, 1);                          // into B: captured
            send(b, A, B, 2);                          // out of B: captured
            send(a, SwitchForwardingTest.D, A, 3);     // neither: not captured
            send(d, A, SwitchForwardingTest.D, 4);     // neither
            rig.settle();
            assertThat(PcapWriter.count(file)).isEqualTo(2);
            assertThat(Files.size(file)).isEqualTo(24 + 2 * (16 + 64));
            send(a, Mac.BROADCAST, A, 5);              // flooded to B and D: once more into B
            rig.settle();
            assertThat(PcapWriter.count(file)).isEqualTo(3);

            // A capture set while the port is attached applies at once.
            final Path second = tmp.resolve("a.pcap");
            rig.sw.capture(0, PcapWriter.open(second));
            send(a, B, A, 6);
            send(b, A, B, 7);
            rig.settle();
            assertThat(PcapWriter.count(second)).isEqualTo(2); // out of A, into A
            assertThat(PcapWriter.count(file)).isEqualTo(3);   // B's capture ended
        }
    }

    @Test
    void aFailingCaptureStopsWithOneLogLineAndTheSwitchGoesOn(@TempDir final Path tmp) throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            final GuestPort a = rig.assign(0, A, 1);
            final GuestPort b = rig.assign(1, B, 1);
            final PcapWriter writer = PcapWriter.open(tmp.resolve("x.pcap"));
            rig.sw.capture(1, writer);
            final java.util.List<String> seen = new java.util.ArrayList<>();
            rig.sw.log(seen::add); // after the capture was set: it logs there too
            writer.close(); // the disk goes away under the capture
            send(a, B, A, 1);
            rig.settle();
            send(a, B, A, 2);
            send(b, A, B, 3);
            rig.settle();
            assertThat(marks(b)).containsExactly(1, 2);
            assertThat(marks(a)).containsExactly(3);
            assertThat(seen).singleElement().asString().startsWith("doms switch: capture of port 1 stopped: ");
            assertThat(rig.log).isEmpty();
        }
    }

    @Test
    void aSwitchDoesNotBootWithoutItsPoolFiles(@TempDir final Path tmp) throws IOException {
        final InProcessSlots slots = new InProcessSlots(1, SlotDescriptor.fileLength(1));
        try {
            assertThatThrownBy(() -> Switch.boot(new PoolFiles(tmp), slots, 8)).isInstanceOf(IOException.class);
            try (SharedFile bindings = SharedFile.create(new PoolFiles(tmp).bindings(), doms.pool.BindingTable.fileLength(1))) {
                doms.pool.BindingTable.initialise(bindings.segment(), 1, 1, SwitchRig.MAX_FRAME);
                assertThatThrownBy(() -> Switch.boot(new PoolFiles(tmp), slots, 8)).isInstanceOf(IOException.class); // no status file
                assertThat(SwitchRig.mappings(bindings.path())).isEqualTo(1); // ours: the failed switch let go of its own
            }
            Files.write(new PoolFiles(tmp).bindings(), new byte[8192]);
            assertThatThrownBy(() -> Switch.boot(new PoolFiles(tmp), slots, 8)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("binding table");
        } finally {
            slots.close();
        }
    }

    /** A control channel on which a grant shows up only at the poll after the one it was sent before. */
    private static final class LateSource implements SlotSource {
        final InProcessSlots slots = new InProcessSlots(1, SlotDescriptor.fileLength(SwitchRig.PAGES));
        int polls;
        int maps;
        boolean fail;

        @Override
        public void poll() {
            polls++;
        }

        @Override
        public SharedMemory map(final int slot, final long generation, final long length) throws IOException {
            maps++;
            if (fail) {
                throw new IOException("memfd is not sealed");
            }
            return polls >= 2 ? slots.map(slot, generation, length) : null;
        }

        @Override
        public void close() {
            slots.close();
        }
    }

    @Test
    void anAssignedSlotWhoseGrantIsStillInTheChannelIsTakenInTheSamePass(@TempDir final Path tmp) throws IOException {
        final PoolFiles pool = new PoolFiles(tmp);
        try (SharedFile bindingsFile = SharedFile.create(pool.bindings(), doms.pool.BindingTable.fileLength(1));
             SharedFile statusFile = SharedFile.create(pool.status(), SwitchStatus.fileLength(1))) {
            final var bindings = doms.pool.BindingTable.initialise(bindingsFile.segment(), 1, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            SwitchStatus.initialise(statusFile.segment(), 1);
            final LateSource source = new LateSource();
            SlotDescriptor.initialise(source.slots.memory(0), 0, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            bindings.assign(0, A, 1, 0);
            try (Switch sw = Switch.boot(pool, source, 8)) {
                assertThat(sw.ports()).hasSize(1);
                assertThat(source.polls).isEqualTo(2);
                assertThat(source.maps).isEqualTo(2);
            }
        }
    }

    @Test
    void aGrantThatCannotBeMappedLeavesTheSlotUnservedAndIsReportedOnce(@TempDir final Path tmp) throws IOException {
        final PoolFiles pool = new PoolFiles(tmp);
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (SharedFile bindingsFile = SharedFile.create(pool.bindings(), doms.pool.BindingTable.fileLength(1));
             SharedFile statusFile = SharedFile.create(pool.status(), SwitchStatus.fileLength(1))) {
            final var bindings = doms.pool.BindingTable.initialise(bindingsFile.segment(), 1, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            final SwitchStatus status = SwitchStatus.initialise(statusFile.segment(), 1);
            final LateSource source = new LateSource();
            source.fail = true;
            bindings.assign(0, A, 1, 0);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (Switch sw = Switch.boot(pool, source, 8)) {
                sw.discoverNow();
                sw.discoverNow();
                assertThat(source.maps).isEqualTo(3);
                assertThat(sw.ports()).isEmpty();
                assertThat(status.opaqueServedGeneration(0)).isZero();
                // The control plane retires it and grants a usable next generation: served.
                bindings.retire(0);
                sw.discoverNow();
                assertThat(status.lvReleasedGeneration(0)).isEqualTo(1);
                source.fail = false;
                SlotDescriptor.initialise(source.slots.memory(0), 0, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
                bindings.free(0);
                bindings.assign(0, A, 1, 0);
                sw.discoverNow();
                assertThat(sw.ports()).hasSize(1);
                assertThat(status.opaqueServedGeneration(0)).isEqualTo(2);
            } finally {
                System.setErr(err);
            }
            final String text = captured.toString(StandardCharsets.UTF_8);
            assertThat(text.split("cannot map slot 0 generation 1", -1)).hasSize(2);
            assertThat(text).contains("memfd is not sealed");
        }
    }

    @Test
    void aCaptureFileIsClosedWithTheSwitch(@TempDir final Path tmp) throws IOException {
        try (SwitchRig rig = new SwitchRig(1, 8)) {
            final Path file = tmp.resolve("c.pcap");
            rig.sw.capture(0, PcapWriter.open(file));
            assertThat(openDescriptors(file)).isEqualTo(1);
            rig.sw.close();
            assertThat(openDescriptors(file)).isZero();
            rig.sw = rig.boot();
        }
    }

    static long openDescriptors(final Path file) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file.toAbsolutePath());
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void theSwitchKnowsItsPool() throws IOException {
        try (SwitchRig rig = new SwitchRig(2, 8)) {
            assertThat(rig.sw.pool()).isEqualTo(rig.pool);
            assertThat(rig.sw.bindings().slots()).isEqualTo(2);
            assertThat(rig.sw.bindings().maxFrame()).isEqualTo(SwitchRig.MAX_FRAME);
        }
    }

    @Test
    void inProcessSlotMemoryIsFreedWhenItsSourceCloses() {
        final InProcessSlots slots = new InProcessSlots(2, SlotDescriptor.fileLength(1));
        final MemorySegment memory = slots.memory(1);
        assertThat(memory.byteSize()).isEqualTo(SlotDescriptor.fileLength(1));
        assertThat(memory.address() % 4096).isZero();
        assertThat(slots.map(1, 7, SlotDescriptor.fileLength(1)).segment()).isEqualTo(memory);
        assertThat(slots.map(1, 7, SlotDescriptor.fileLength(2))).isNull();
        slots.close();
        assertThat(memory.scope().isAlive()).isFalse();
    }

    @Test
    void memoryTooSmallForThePoolsSlotsGivesAQuarantinedPortNotACrash(@TempDir final Path tmp) throws IOException {
        final PoolFiles pool = new PoolFiles(tmp);
        final InProcessSlots small = new InProcessSlots(1, 4096);
        small.memory(0).set(ValueLayout.JAVA_LONG, SlotDescriptor.MAGIC_OFFSET, SlotDescriptor.MAGIC);
        small.memory(0).set(ValueLayout.JAVA_INT, SlotDescriptor.VERSION_OFFSET, SlotDescriptor.VERSION);
        try (SharedFile bindingsFile = SharedFile.create(pool.bindings(), doms.pool.BindingTable.fileLength(1));
             SharedFile statusFile = SharedFile.create(pool.status(), SwitchStatus.fileLength(1))) {
            final var bindings = doms.pool.BindingTable.initialise(bindingsFile.segment(), 1, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            SwitchStatus.initialise(statusFile.segment(), 1);
            bindings.assign(0, A, 1, 0);
            final SlotSource source = new SlotSource() {
                @Override
                public void poll() {
                }

                @Override
                public SharedMemory map(final int slot, final long generation, final long length) {
                    return small.view(slot); // whatever the pool's length: a broken source
                }

                @Override
                public void close() {
                    small.close();
                }
            };
            try (Switch sw = Switch.boot(pool, source, 8)) {
                sw.log(line -> { });
                assertThat(sw.ports()).singleElement().satisfies(port -> {
                    assertThat(port.quarantined()).isTrue();
                    assertThat(port.quarantineReason()).startsWith("at attach: java.lang.IndexOutOfBoundsException");
                });
                assertThat(sw.round()).isZero();
            }
        }
    }
}
