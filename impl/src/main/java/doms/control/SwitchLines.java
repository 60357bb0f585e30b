package doms.control;

/**
 * The lines a switch process prints on standard output for the control plane that started it:
 * {@code standby} once its JVM is up and waiting for a line on standard input (a warm spare), then
 * {@code ready ports=N[ uplink=ADDR]} once it forwards. One owner, so that the switch and the
 * control plane cannot drift apart.
 */
public final class SwitchLines {
    public static final String STANDBY = "standby";
    public static final String READY = "ready";

    private SwitchLines() {
    }

    /** The ready line; {@code uplink} is null without a VXLAN uplink. */
    public static String ready(final int ports, final String uplink) {
        return READY + " ports=" + ports + (uplink == null ? "" : " uplink=" + uplink);
    }

    public static boolean isStandby(final String line) {
        return STANDBY.equals(line);
    }

    public static boolean isReady(final String line) {
        return line != null && line.startsWith(READY);
    }
}
