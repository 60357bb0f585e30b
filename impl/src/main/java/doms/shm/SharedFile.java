package doms.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file under /dev/shm (or another directory) mapped read-write into this process. Every
 * process that maps the same file sees the same physical pages: this is the shared memory
 * between a guest and the switch. The mapping lives in a shared arena, so any thread of this
 * process may use it, and is unmapped by {@link #close()}.
 */
public final class SharedFile implements SharedMemory {
    /** Where shared files go unless a command says otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of(System.getenv().getOrDefault("DOMS_SHM_DIR", "/dev/shm"));

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private SharedFile(final Path path, final Arena arena, final MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    /** Creates a new zero-filled file of {@code length} bytes (owner read-write only) and maps it. */
    public static SharedFile create(final Path path, final long length) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            // Extending a file by writing its last byte leaves the rest as zero pages.
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
        }
        return open(path);
    }

    /** Maps an existing file whole. */
    public static SharedFile open(final Path path) throws IOException {
        return open(path, -1);
    }

    /**
     * Maps exactly {@code length} bytes of an existing file (the whole file when negative). A file
     * shorter than that is refused: mapping past its end would fault on first touch.
     */
    public static SharedFile open(final Path path, final long length) throws IOException {
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            if (length >= 0 && size < length) {
                throw new IOException(path + " is " + size + " bytes, expected at least " + length);
            }
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, length >= 0 ? length : size, arena);
            return new SharedFile(path, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps an existing file read-only: the hardware then enforces that this process never
     * writes it (the switch maps the control plane's binding table this way).
     */
    public static SharedFile openReadOnly(final Path path) throws IOException {
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new SharedFile(path, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        arena.close();
    }
}
