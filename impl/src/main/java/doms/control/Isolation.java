package doms.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who may reach what. When the control plane runs as root, the switch and each guest run under
 * their own unprivileged uid (via util-linux {@code setpriv}). A slot's memory is a memfd with
 * no name: a guest gets its own from the control socket, which checks the peer's uid
 * ({@code SO_PEERCRED}) against the slot; the binding table belongs to root with the switch's
 * group, mode 0640; the status file is the switch's. Otherwise (not root) every process runs as
 * the invoking user and there is one uid.
 */
public final class Isolation {
    /** The switch's uid and gid when isolating. */
    public static final int SWITCH_UID = 64900;
    /** Guest uids are this plus the slot index. */
    public static final int GUEST_UID_BASE = 64901;

    private final boolean enabled;

    private Isolation(final boolean enabled) {
        this.enabled = enabled;
    }

    public static Isolation off() {
        return new Isolation(false);
    }

    /**
     * On when running as root with setpriv available and when a process under another uid can run
     * this very command (it can read the JDK and the class path); else off.
     */
    public static Isolation auto(final List<String> probeCommand) {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            return off();
        }
        try {
            final List<String> command = new ArrayList<>(asUser(GUEST_UID_BASE, GUEST_UID_BASE));
            command.addAll(probeCommand);
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return off();
            }
            return new Isolation(p.exitValue() == 0);
        } catch (IOException e) {
            return off();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return off();
        }
    }

    /** {@code --isolate auto|on|off}: auto isolates when it can; on fails (IllegalArgumentException) when it cannot. */
    public static Isolation choose(final String mode, final List<String> probeCommand) {
        return switch (mode) {
            case "off" -> off();
            case "auto", "on" -> {
                final Isolation probed = auto(probeCommand);
                if ("on".equals(mode) && !probed.enabled()) {
                    throw new IllegalArgumentException("--isolate on needs root, setpriv, and a JDK and class path other uids can read");
                }
                yield probed;
            }
            default -> throw new IllegalArgumentException("--isolate must be auto, on or off");
        };
    }

    /** On, or IllegalStateException with the reason it cannot be (not root, no setpriv). */
    public static Isolation on() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("isolating processes under their own uids needs root");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            throw new IllegalStateException("isolating processes needs /usr/bin/setpriv (util-linux)");
        }
        return new Isolation(true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The command prefix that runs a program as {@code uid}:{@code gid} with no supplementary groups. */
    public static List<String> asUser(final int uid, final int gid) {
        return List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }

    public List<String> prefixForSwitch() {
        return enabled ? asUser(SWITCH_UID, SWITCH_UID) : List.of();
    }

    public List<String> prefixForGuest(final int slot) {
        return enabled ? asUser(guestUid(slot), guestUid(slot)) : List.of();
    }

    public int guestUid(final int slot) {
        return enabled ? GUEST_UID_BASE + slot : -1;
    }

    /**
     * Kills every process still running under a slot's guest uid (children a retired guest left
     * behind), so none of them can reach the slot's next guest. Nothing to do without isolation.
     */
    public void killAll(final int slot) {
        if (!enabled) {
            return;
        }
        final String uid = Integer.toString(guestUid(slot));
        ProcessHandle.allProcesses()
                .filter(p -> p.info().user().map(uid::equals).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** The pool directory: root's; anyone may traverse it (to reach the control socket), nobody else list or write it. */
    public void poolDirectory(final Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        own(dir, 0, 0);
    }

    /** The binding table: root writes, the switch reads, guests cannot open it. */
    public void bindingTable(final Path file) throws IOException {
        own(file, 0, SWITCH_UID);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(enabled ? "rw-r-----" : "rw-------"));
    }

    /** The switch's status: the switch writes, root reads. */
    public void statusFile(final Path file) throws IOException {
        switchFile(file);
    }

    /** A file the switch writes (its status, a capture), created by the control plane: the switch's alone. */
    public void switchFile(final Path file) throws IOException {
        own(file, SWITCH_UID, SWITCH_UID);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Whether a peer of this uid may act as the switch (the administrator may too). */
    public boolean maySwitch(final int uid, final int adminUid) {
        return uid == adminUid || (enabled && uid == SWITCH_UID);
    }

    /** Whether a peer of this uid may take the slot's memory: its guest's uid, or the administrator. */
    public boolean mayGuest(final int uid, final int slot, final int adminUid) {
        return uid == adminUid || (enabled && uid == guestUid(slot));
    }

    private void own(final Path path, final int uid, final int gid) throws IOException {
        if (!enabled) {
            return;
        }
        final UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        // Numeric ids need no /etc/passwd entry: the lookup service accepts them as names.
        final UserPrincipal user = lookup.lookupPrincipalByName(Integer.toString(uid));
        final GroupPrincipal group = lookup.lookupPrincipalByGroupName(Integer.toString(gid));
        view.setOwner(user);
        view.setGroup(group);
    }
}
