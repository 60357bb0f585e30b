package doms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What the figures were measured on: they mean nothing without it. */
public record Machine(int nproc, String cpu, String memory, String jdk, String os, String date) {
    public static Machine here() {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryTotal(),
                System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.runtime.name", "Java") + " "
                        + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneId.systemDefault()))
                        .replaceAll("\\.\\d+", ""));
    }

    static String cpuModel() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    static String memoryTotal() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    final long kib = Long.parseLong(line.replaceAll("\\D+", ""));
                    return (kib / 1024 / 1024) + " GiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return "unknown";
    }

    /** The 1-minute load average, or NaN where /proc/loadavg is missing. */
    public static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
