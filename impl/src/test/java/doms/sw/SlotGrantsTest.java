package doms.sw;

import static doms.sw.SwitchForwardingTest.A;
import static doms.sw.SwitchForwardingTest.B;
import static doms.sw.SwitchRig.marks;
import static doms.sw.SwitchRig.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.cap.ControlProtocol;
import doms.cap.Memfd;
import doms.cap.Native;
import doms.cap.UnixSocket;
import doms.guest.GuestPort;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import doms.shm.SharedMemory;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's end of the control socket, against a control plane played by the test: a real
 * SOCK_SEQPACKET socket and real sealed memfds, in this process. The switch's side connects in
 * another thread (it waits for END at boot); everything after boot is polled without waiting.
 */
class SlotGrantsTest {
    static final long LENGTH = SlotDescriptor.fileLength(1);

    @TempDir
    Path dir;
    private UnixSocket server;
    private UnixSocket client;

    @BeforeEach
    void listen() throws IOException {
        server = UnixSocket.listen(dir.resolve(ControlProtocol.SOCKET_NAME));
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** Open descriptors of this process that are memfds named {@code name}. */
    static long memfds(final String name) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/memfd:" + name + " ");
                } catch (IOException e) {
                    return false; // the directory's own descriptor, gone by now
                }
            }).count();
        }
    }

    /** A sealed memfd whose first word is {@code mark}; the caller owns the descriptor. */
    static int memfd(final String name, final long length, final long mark) throws IOException {
        final int fd = Memfd.create(name, length);
        try (SharedMemory memory = Memfd.map(fd, length)) {
            memory.segment().set(ValueLayout.JAVA_LONG, 0, mark);
        }
        return fd;
    }

    /** Sends a message with one descriptor, then closes ours (the receiver has its own now). */
    private void grant(final String text, final int fd) throws IOException {
        client.send(text, fd);
        Native.close(fd);
    }

    /** Starts a switch's boot connect and plays the control plane's side until the SWITCH request. */
    private CompletableFuture<SlotGrants> connect(final int slots, final int timeoutMillis) throws IOException {
        final CompletableFuture<SlotGrants> grants = CompletableFuture.supplyAsync(() -> {
            try {
                return SlotGrants.connect(dir, slots, LENGTH, timeoutMillis);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        client = server.accept(10_000);
        assertThat(client).as("the switch connected").isNotNull();
        final UnixSocket.Message request = client.receive(10_000);
        assertThat(request).isNotNull();
        assertThat(request.text()).isEqualTo("SWITCH");
        return grants;
    }

    private static SlotGrants join(final CompletableFuture<SlotGrants> grants) throws Exception {
        return grants.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(final CompletableFuture<SlotGrants> grants) throws TimeoutException, InterruptedException {
        try {
            final SlotGrants unexpected = grants.get(20, TimeUnit.SECONDS);
            unexpected.close();
            throw new AssertionError("the boot connect succeeded");
        } catch (ExecutionException e) {
            return e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
        }
    }

    private static long firstWord(final SharedMemory memory) {
        return memory.segment().get(ValueLayout.JAVA_LONG, 0);
    }

    @Test
    void atBootTheSwitchTakesEveryLiveGenerationAndMapsEachOnce() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(3, 10_000);
        grant("SLOT 0 1 " + LENGTH, memfd("grants-a", LENGTH, 0xA));
        grant("SLOT 2 4 " + LENGTH, memfd("grants-c", LENGTH, 0xC));
        client.send("END");
        try (SlotGrants grants = join(pending)) {
            assertThat(memfds("grants-a")).isEqualTo(1); // held by the switch until it maps it
            assertThat(grants.map(0, 2, LENGTH)).isNull(); // not that generation
            assertThat(grants.map(1, 1, LENGTH)).isNull(); // nothing for slot 1
            try (SharedMemory a = grants.map(0, 1, LENGTH); SharedMemory c = grants.map(2, 4, LENGTH)) {
                assertThat(firstWord(a)).isEqualTo(0xA);
                assertThat(firstWord(c)).isEqualTo(0xC);
                assertThat(a.segment().byteSize()).isEqualTo(LENGTH);
            }
            assertThat(memfds("grants-a")).isZero(); // mapped: the descriptor is closed
            assertThat(grants.map(0, 1, LENGTH)).isNull(); // once
        }
    }

    @Test
    void afterBootTheSwitchTakesWhatWasPushedWithoutWaiting() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(2, 10_000);
        client.send("END");
        try (SlotGrants grants = join(pending)) {
            grants.poll(); // nothing yet
            assertThat(grants.map(1, 1, LENGTH)).isNull();
            grant("SLOT 1 1 " + LENGTH, memfd("grants-push", LENGTH, 1));
            grant("SLOT 1 2 " + LENGTH, memfd("grants-push", LENGTH, 2)); // a newer one before the switch mapped the first
            assertThat(grants.map(1, 1, LENGTH)).isNull(); // not taken from the channel until a poll
            grants.poll();
            assertThat(memfds("grants-push")).isEqualTo(1); // the older one was closed
            assertThat(grants.map(1, 1, LENGTH)).isNull();
            try (SharedMemory m = grants.map(1, 2, LENGTH)) {
                assertThat(firstWord(m)).isEqualTo(2);
            }
            grant("SLOT 1 3 " + LENGTH, memfd("grants-push", LENGTH, 3));
            grant("SLOT 0 1 " + LENGTH, memfd("grants-push", LENGTH, 4));
            grants.poll();
            try (SharedMemory m = grants.map(1, 3, LENGTH); SharedMemory n = grants.map(0, 1, LENGTH)) {
                assertThat(firstWord(m)).isEqualTo(3);
                assertThat(firstWord(n)).isEqualTo(4);
            }
            assertThat(memfds("grants-push")).isZero();
        }
    }

    @Test
    void grantsThatDoNotFitAreRefusedAndTheirDescriptorsClosed() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(2, 10_000);
        grant("SLOT 0 2 " + LENGTH, memfd("grants-ok", LENGTH, 1));
        client.send("END");
        try (SlotGrants grants = join(pending)) {
            grant("SLOT 2 1 " + LENGTH, memfd("grants-bad", LENGTH, 0));        // no such slot
            grant("SLOT -1 1 " + LENGTH, memfd("grants-bad", LENGTH, 0));       // no such slot
            grant("SLOT 0 2 " + LENGTH, memfd("grants-bad", LENGTH, 0));        // not newer than what it has
            grant("SLOT 0 1 " + LENGTH, memfd("grants-bad", LENGTH, 0));        // older
            grant("SLOT 1 1 " + (LENGTH + 4096), memfd("grants-bad", LENGTH, 0)); // another length than the pool's
            grant("HELLO 1 1 " + LENGTH, memfd("grants-bad", LENGTH, 0));       // not a SLOT message
            final int x = memfd("grants-bad", LENGTH, 0);
            final int y = memfd("grants-bad", LENGTH, 0);
            client.send("SLOT 1 1 " + LENGTH, x, y);                            // two descriptors
            Native.close(x);
            Native.close(y);
            client.send("SLOT 1 1 " + LENGTH);                                  // none
            grants.poll();
            assertThat(memfds("grants-bad")).isZero();
            assertThat(grants.map(1, 1, LENGTH)).isNull();
            try (SharedMemory m = grants.map(0, 2, LENGTH)) {
                assertThat(firstWord(m)).isEqualTo(1); // the good one survived all that
            }
        }
    }

    @Test
    void aGrantWhoseMemoryIsNotWhatItSaysFailsToMapOnce() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(1, 10_000);
        grant("SLOT 0 1 " + LENGTH, memfd("grants-short", LENGTH - 4096, 0)); // announced at the pool's length
        client.send("END");
        try (SlotGrants grants = join(pending)) {
            assertThatThrownBy(() -> grants.map(0, 1, LENGTH)).isInstanceOf(IOException.class).hasMessageContaining("bytes, expected");
            assertThat(memfds("grants-short")).isZero();
            assertThat(grants.map(0, 1, LENGTH)).isNull();
        }
    }

    @Test
    void whenTheControlPlaneGoesAwayTheSwitchKeepsWhatItHas() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(1, 10_000);
        client.send("END");
        try (SlotGrants grants = join(pending)) {
            grant("SLOT 0 1 " + LENGTH, memfd("grants-last", LENGTH, 7));
            client.close();
            client = null;
            final java.io.PrintStream err = System.err;
            final java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                grants.poll(); // the grant, then the end of the channel
                grants.poll(); // and nothing more is read
            } finally {
                System.setErr(err);
            }
            assertThat(said.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("doms switch: the control plane closed our channel; serving the generations we have" + System.lineSeparator());
            try (SharedMemory m = grants.map(0, 1, LENGTH)) {
                assertThat(firstWord(m)).isEqualTo(7);
            }
        }
    }

    @Test
    void closingTheGrantsClosesEveryDescriptorNotYetMapped() throws Exception {
        final CompletableFuture<SlotGrants> pending = connect(2, 10_000);
        grant("SLOT 0 1 " + LENGTH, memfd("grants-unmapped", LENGTH, 0));
        grant("SLOT 1 1 " + LENGTH, memfd("grants-unmapped", LENGTH, 0));
        client.send("END");
        final SlotGrants grants = join(pending);
        assertThat(memfds("grants-unmapped")).isEqualTo(2);
        grants.close();
        assertThat(memfds("grants-unmapped")).isZero();
    }

    @Test
    void aRefusalAClosedChannelOrSilenceFailsTheBoot() throws Exception {
        CompletableFuture<SlotGrants> pending = connect(1, 10_000);
        client.send("ERR refused: uid 1234 may not act as the switch");
        assertThat(failure(pending)).isInstanceOf(IOException.class).hasMessageContaining("refused us: refused: uid 1234");
        client.close();

        pending = connect(1, 10_000);
        grant("SLOT 0 1 " + LENGTH, memfd("grants-boot", LENGTH, 0));
        client.close();
        assertThat(failure(pending)).isInstanceOf(IOException.class).hasMessageContaining("(closed)");
        assertThat(memfds("grants-boot")).isZero();

        pending = connect(1, 300);
        assertThat(failure(pending)).isInstanceOf(IOException.class).hasMessageContaining("(timeout)");
    }

    @Test
    void withoutAControlPlaneThereIsNoBoot(@TempDir final Path empty) {
        assertThatThrownBy(() -> SlotGrants.connect(empty, 1, LENGTH, 1000)).isInstanceOf(IOException.class)
                .hasMessageContaining("no control plane");
    }

    @Test
    void aSwitchBootedByTheControlPlaneServesTheSlotsItIsGranted() throws Exception {
        final PoolFiles pool = new PoolFiles(dir);
        try (SharedFile bindingsFile = SharedFile.create(pool.bindings(), BindingTable.fileLength(2));
             SharedFile statusFile = SharedFile.create(pool.status(), SwitchStatus.fileLength(2))) {
            final BindingTable bindings = BindingTable.initialise(bindingsFile.segment(), 2, 1, SwitchRig.MAX_FRAME);
            final SwitchStatus status = SwitchStatus.initialise(statusFile.segment(), 2);
            final int fd0 = Memfd.create("grants-slot0", LENGTH);
            final int fd1 = Memfd.create("grants-slot1", LENGTH);
            try (SharedMemory m0 = Memfd.map(fd0, LENGTH); SharedMemory m1 = Memfd.map(fd1, LENGTH)) {
                SlotDescriptor.initialise(m0.segment(), 0, 1, SwitchRig.MAX_FRAME);
                SlotDescriptor.initialise(m1.segment(), 1, 1, SwitchRig.MAX_FRAME);
                bindings.assign(0, A, 1, 0);

                final CompletableFuture<Switch> booting = bootAsync(pool);
                client = server.accept(10_000);
                assertThat(client.receive(10_000).text()).isEqualTo("SWITCH");
                client.send("SLOT 0 1 " + LENGTH, fd0);
                client.send("END");
                try (Switch sw = booting.get(20, TimeUnit.SECONDS)) {
                    assertThat(sw.ports()).hasSize(1);
                    assertThat(status.opaqueServedGeneration(0)).isEqualTo(1);

                    // A new guest: the grant first, then the binding (as the control plane orders them).
                    client.send("SLOT 1 1 " + LENGTH, fd1);
                    bindings.assign(1, B, 1, 0);
                    sw.discoverNow();
                    assertThat(sw.ports()).hasSize(2);

                    final GuestPort a = GuestPort.attach(m0);
                    final GuestPort b = GuestPort.attach(m1);
                    send(a, B, A, 1);
                    send(b, Mac.BROADCAST, B, 2);
                    assertThat(sw.round()).isEqualTo(2);
                    assertThat(marks(b)).containsExactly(1);
                    assertThat(marks(a)).containsExactly(2);
                }
            } finally {
                Native.close(fd0);
                Native.close(fd1);
            }
        }
    }

    @Test
    void aSwitchThatCannotBootAfterConnectingClosesItsChannel() throws Exception {
        final PoolFiles pool = new PoolFiles(dir);
        try (SharedFile bindingsFile = SharedFile.create(pool.bindings(), BindingTable.fileLength(1))) {
            BindingTable.initialise(bindingsFile.segment(), 1, 1, SwitchRig.MAX_FRAME); // but no status file
            final CompletableFuture<Switch> booting = bootAsync(pool);
            client = server.accept(10_000);
            assertThat(client.receive(10_000).text()).isEqualTo("SWITCH");
            client.send("END");
            assertThatThrownBy(() -> booting.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
            final UnixSocket.Message last = client.receive(10_000);
            assertThat(last).isNotNull();
            assertThat(last.eof()).isTrue();
        }
    }

    /** A switch booting over {@code pool} on another thread: it waits for its grants from the test's socket. */
    private static CompletableFuture<Switch> bootAsync(final PoolFiles pool) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Switch.boot(pool, 8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
