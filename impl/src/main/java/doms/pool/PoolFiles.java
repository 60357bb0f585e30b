package doms.pool;

import java.nio.file.Path;

/**
 * Where a pool's files are: one directory holding the binding table (control plane), the switch
 * status (switch) and the control plane's socket. A slot's memory has no file: it is a memfd
 * handed over that socket.
 */
public record PoolFiles(Path dir) {
    public Path bindings() {
        return dir.resolve("bindings");
    }

    public Path status() {
        return dir.resolve("switch-status");
    }

    /** The control plane's socket: slots' memory, the switch's channel, assign and retire. */
    public Path control() {
        return dir.resolve(doms.cap.ControlProtocol.SOCKET_NAME);
    }
}
