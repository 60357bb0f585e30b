package doms.cli;

/** Exit codes shared by every command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check failed or a run went wrong. */
    public static final int FAILED = 1;
    /** Bad usage, or a prerequisite (a JDK, a jar) is missing. */
    public static final int USAGE = 2;
    /** Skipped: a tool the command needs (tla2tools.jar) cannot be had here. */
    public static final int SKIPPED = 3;

    private ExitCodes() {
    }
}
