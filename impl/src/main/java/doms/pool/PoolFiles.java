package doms.pool;

import java.nio.file.Path;

/**
 * Where a pool's files are: one directory holding the binding table (control plane), the switch
 * status (switch) and one file per slot (shared by the switch and that slot's guest only).
 */
public record PoolFiles(Path dir) {
    public Path bindings() {
        return dir.resolve("bindings");
    }

    public Path status() {
        return dir.resolve("switch-status");
    }

    public Path slot(final int index) {
        return dir.resolve(String.format("slot-%03d", index));
    }
}
