package doms.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JQF's (Zest's) plot_data: one line of figures per interval, the columns named by its first
 * line ({@code # unix_time, cycles_done, ...}). Read by those names, so that a JQF that adds or
 * moves a column does not shift the figures.
 */
public final class PlotData {
    static final List<String> COLUMNS = List.of("unix_time", "unique_crashes", "execs_per_sec", "valid_inputs", "invalid_inputs",
            "all_covered_probes");

    /** One line: executions (valid and invalid inputs), covered probes, unique crashes, executions/s, its unix time. */
    public record Row(long executions, long coveredProbes, long crashes, long execsPerSecond, long unixTime) {
        static final Row NONE = new Row(0, 0, 0, 0, 0);
    }

    private PlotData() {
    }

    /** Every row of a plot_data file; none when it is missing or has no header naming the columns used. */
    public static List<Row> read(final Path plotData) throws IOException {
        final List<Row> rows = new ArrayList<>();
        if (!Files.isRegularFile(plotData)) {
            return rows;
        }
        int[] at = null;
        for (final String line : Files.readAllLines(plotData)) {
            if (line.startsWith("#")) {
                final List<String> names = Arrays.stream(line.substring(1).split(",")).map(String::strip).toList();
                at = COLUMNS.stream().mapToInt(names::indexOf).toArray();
                if (Arrays.stream(at).anyMatch(i -> i < 0)) {
                    throw new IOException(plotData + ": the header lacks one of " + COLUMNS + ": " + line);
                }
                continue;
            }
            if (at == null || line.isBlank()) {
                continue;
            }
            final String[] f = line.split(",\\s*");
            if (f.length <= Arrays.stream(at).max().orElseThrow()) {
                continue; // a line still being written
            }
            rows.add(new Row(Long.parseLong(f[at[3]].strip()) + Long.parseLong(f[at[4]].strip()), Long.parseLong(f[at[5]].strip()),
                    Long.parseLong(f[at[1]].strip()), Math.round(Double.parseDouble(f[at[2]].strip())), Long.parseLong(f[at[0]].strip())));
        }
        return rows;
    }

    /** The last row, or zeros while there is none (or the file cannot be read yet): for progress lines. */
    static Row last(final Path plotData) {
        try {
            final List<Row> rows = read(plotData);
            return rows.isEmpty() ? Row.NONE : rows.getLast();
        } catch (IOException | RuntimeException e) {
            return Row.NONE;
        }
    }
}
