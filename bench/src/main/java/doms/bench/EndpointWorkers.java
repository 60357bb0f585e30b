package doms.bench;

import doms.guest.GuestPort;
import doms.poll.IdleStrategies;
import doms.poll.IdleStrategy;
import doms.pool.Mac;
import doms.ring.RecordHandler;
import doms.ring.RingConsumer;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import doms.net.EthernetFrame;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** The idle endpoint of the idle-cost figure and the guest of the switch figure. */
final class EndpointWorkers {
    private EndpointWorkers() {
    }

    /**
     * A consumer on an empty ring, polling under one strategy. Answers ready; on
     * {@code go warm_ns=N measure_ns=N} polls through the warm-up, then measures the CPU time of
     * the process and of the polling thread over the measured wall time.
     */
    static int idle(final KeyValues options) throws Exception {
        final IdleStrategy idle = IdleStrategies.parse(options.get("poll"));
        try (SharedFile file = SharedFile.open(Path.of(options.get("file")))) {
            final RingConsumer consumer = RingConsumer.attach(file.segment());
            final RecordHandler ignore = (type, buffer, offset, length) -> { };
            Worker.answer("ready");
            final KeyValues go = Worker.command();
            if (go == null) {
                return 0;
            }
            final long warmEnd = System.nanoTime() + go.getLong("warm_ns");
            long polls = 0;
            while (System.nanoTime() - warmEnd < 0) {
                idle.idle(consumer.poll(ignore, 16));
            }
            final long cpu0 = Worker.processCpuNanos();
            final long thread0 = Worker.threadCpuNanos();
            final long start = System.nanoTime();
            final long end = start + go.getLong("measure_ns");
            long now;
            while ((now = System.nanoTime()) - end < 0) {
                final int n = consumer.poll(ignore, 16);
                if (n < 0) {
                    Worker.answer("error " + Worker.oneWord(RingResult.describe(n)));
                    return 1;
                }
                polls++;
                idle.idle(n);
            }
            Worker.answer(KeyValues.format("ok", "cpu_ns", Worker.processCpuNanos() - cpu0, "thread_cpu_ns",
                    Worker.threadCpuNanos() - thread0, "wall_ns", now - start, "polls", polls));
            Worker.command(); // wait for quit
            return 0;
        }
    }

    /**
     * A guest of the switch benchmark: on {@code go warm_ns=N measure_ns=N} sends frames of one size
     * to one other guest as fast as its TX ring takes them and counts what arrives; what arrived
     * after the warm-up is its measured window.
     */
    static int guest(final KeyValues options) throws Exception {
        final IdleStrategy idle = IdleStrategies.parse(options.get("poll", "adaptive:100"));
        final long mac = Mac.parse(options.get("mac"));
        final long to = Mac.parse(options.get("to"));
        final int size = options.getInt("size");
        try (doms.guest.SlotGrant grant = doms.guest.SlotGrant.request(Path.of(options.get("pool")), options.getInt("slot"));
             GuestPort port = GuestPort.attach(grant.memory()); Arena arena = Arena.ofConfined()) {
            if (size < EthernetFrame.HEADER_LENGTH + 8 || size > port.maxFrame()) {
                throw new IllegalArgumentException("frame size must be " + (EthernetFrame.HEADER_LENGTH + 8) + ".." + port.maxFrame());
            }
            final MemorySegment frame = arena.allocate(size, 8);
            EthernetFrame.writeHeader(frame, 0, to, mac, 0x88B5);
            final long[] received = new long[1];
            final RecordHandler count = (type, buffer, offset, length) -> received[0]++;
            Worker.answer("ready");
            final KeyValues go = Worker.command();
            if (go == null) {
                return 0;
            }
            final long start = System.nanoTime();
            final long mark = start + go.getLong("warm_ns");
            final long end = mark + go.getLong("measure_ns");
            long sent = 0;
            long full = 0;
            long markReceived = -1;
            long markAt = 0;
            long now;
            while ((now = System.nanoTime()) - end < 0) {
                if (markReceived < 0 && now - mark >= 0) {
                    markReceived = received[0];
                    markAt = now;
                }
                int work = 0;
                while (work < 64) {
                    final int r = port.send(frame, 0, size);
                    if (r == RingResult.OK) {
                        sent++;
                        work++;
                    } else if (r == RingResult.FULL) {
                        full++;
                        break;
                    } else {
                        Worker.answer("error tx_" + Worker.oneWord(RingResult.describe(r)));
                        return 1;
                    }
                }
                final int got = port.receive(count, 256);
                if (got < 0) {
                    Worker.answer("error rx_" + Worker.oneWord(RingResult.describe(got)));
                    return 1;
                }
                idle.idle(work + got);
            }
            if (markReceived < 0) {
                markReceived = 0;
                markAt = start;
            }
            Worker.answer(KeyValues.format("ok", "sent", sent, "received", received[0], "full", full,
                    "window_received", received[0] - markReceived, "window_ns", Math.max(1, now - markAt)));
            Worker.command(); // wait for quit
            return 0;
        }
    }
}
