package doms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void keyValuesRoundTrip() {
        final String line = KeyValues.format("run", "size", 64, "poll", "period:50", "warm_ns", 250_000_000L);
        assertThat(line).isEqualTo("run size=64 poll=period:50 warm_ns=250000000");
        final KeyValues kv = KeyValues.parse(line);
        assertThat(kv.verb()).isEqualTo("run");
        assertThat(kv.getInt("size")).isEqualTo(64);
        assertThat(kv.get("poll")).isEqualTo("period:50");
        assertThat(kv.getLong("warm_ns")).isEqualTo(250_000_000L);
        assertThat(kv.get("missing", "x")).isEqualTo("x");
        assertThatThrownBy(() -> kv.get("missing")).hasMessageContaining("missing=");
    }

    @Test
    void keyValuesRejectValuesThatWouldBreakTheLine() {
        assertThatThrownBy(() -> KeyValues.format("ok", "reason", "two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyValues.format("ok", "odd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyValues.parse("ok a=1 stray")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argumentsWithoutAVerb() {
        final KeyValues kv = KeyValues.ofArgs(new String[] {"ping", "transport=tcp", "port=4000"}, 1);
        assertThat(kv.verb()).isEmpty();
        assertThat(kv.getInt("port")).isEqualTo(4000);
    }

    private static ByteBuffer messages(final int size, final long... seqs) {
        final ByteBuffer b = ByteBuffer.allocate(size * seqs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < seqs.length; i++) {
            b.putLong(i * size, seqs[i]);
        }
        return b;
    }

    @Test
    void parserReassemblesMessagesSplitAnywhere() {
        final int size = 20;
        final ByteBuffer stream = messages(size, 0, 1, 2, 3, MessageParser.END);
        for (int chunk = 1; chunk <= stream.capacity(); chunk++) {
            final MessageParser parser = new MessageParser(size);
            for (int from = 0; from < stream.capacity(); from += chunk) {
                parser.accept(stream, from, Math.min(stream.capacity(), from + chunk));
            }
            assertThat(parser.messages()).as("chunk %d", chunk).isEqualTo(4);
            assertThat(parser.bytes()).isEqualTo(4L * size);
            assertThat(parser.errors()).isZero();
            assertThat(parser.ended()).isTrue();
            assertThat(parser.atBoundary()).isTrue();
        }
    }

    @Test
    void parserCountsGapsAndReadsBigEndianBuffersToo() {
        final MessageParser parser = new MessageParser(8);
        final ByteBuffer stream = messages(8, 0, 1, 5, 6);
        parser.accept(stream, 0, stream.capacity());
        assertThat(parser.messages()).isEqualTo(4);
        assertThat(parser.errors()).isEqualTo(1);
        assertThat(parser.ended()).isFalse();
        final MessageParser big = new MessageParser(8);
        final ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        be.putLong(0, Long.reverseBytes(0));
        big.accept(be, 0, 8);
        assertThat(big.errors()).isZero();
        assertThatThrownBy(() -> new MessageParser(7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowOpensAfterTheWarmUp() {
        final Window w = new Window(100);
        w.progress(1_000, 10, 640);      // first batch: the clock starts
        w.progress(1_050, 20, 1_280);    // still warming up
        w.progress(1_100, 30, 1_920);    // the window opens here
        w.progress(1_500, 90, 5_760);
        final KeyValues r = KeyValues.parse(w.result(2_100, 100, 6_400, 0, 5, 9));
        assertThat(r.getLong("records")).isEqualTo(70);
        assertThat(r.getLong("bytes")).isEqualTo(4_480);
        assertThat(r.getLong("nanos")).isEqualTo(1_000);
        assertThat(r.getLong("total")).isEqualTo(100);
        assertThat(r.getInt("warmed")).isEqualTo(1);
    }

    @Test
    void aTrialShorterThanItsWarmUpCountsFromTheFirstBatch() {
        final Window w = new Window(1_000_000);
        w.progress(1_000, 10, 640);
        final KeyValues r = KeyValues.parse(w.result(3_000, 50, 3_200, 0, 0, 0));
        assertThat(r.getLong("records")).isEqualTo(50);
        assertThat(r.getLong("nanos")).isEqualTo(2_000);
        assertThat(r.getInt("warmed")).isZero();
    }
}
