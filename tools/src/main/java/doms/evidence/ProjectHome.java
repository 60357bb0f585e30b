package doms.evidence;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The doms checkout the tools run in, and the timestamped report folders they write under it. */
public final class ProjectHome {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ProjectHome() {
    }

    /** The doms checkout (the launcher passes it as -Ddoms.home; the working directory otherwise). */
    public static Path dir() {
        return Path.of(System.getProperty("doms.home", ".")).toAbsolutePath().normalize();
    }

    /** Now, as report folders are named: {@code yyyyMMdd-HHmmss}. */
    public static String stamp() {
        return LocalDateTime.now().format(STAMP);
    }

    /** A new report folder {@code parent/yyyyMMdd-HHmmss} (not created). */
    public static Path timestamped(final Path parent) {
        return parent.resolve(stamp());
    }
}
