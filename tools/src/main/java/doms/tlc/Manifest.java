package doms.tlc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * spec/manifest.json: every TLC model with its expected result ("pass", or the name of the
 * property whose violation TLC must report) and the distinct-state count of its last run.
 */
public final class Manifest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One model: {@code spec/<dir>/<tla>} checked with {@code spec/<dir>/<cfg>}. */
    public record Model(String name, String dir, String tla, String cfg, String expected, long distinctStates,
                        boolean deep, List<String> tlcArgs, java.util.Map<String, String> unusedOk) {
    }

    private final Path file;
    private final JsonNode root;
    private final List<Model> models;

    private Manifest(final Path file, final JsonNode root, final List<Model> models) {
        this.file = file;
        this.root = root;
        this.models = models;
    }

    public static Manifest load(final Path file) throws IOException {
        final JsonNode root = MAPPER.readTree(file.toFile());
        final List<Model> models = new ArrayList<>();
        for (final JsonNode node : root.path("models")) {
            final List<String> args = new ArrayList<>();
            node.path("tlc_args").forEach(a -> args.add(a.asText()));
            // Actions this model leaves disabled on purpose, each with the reason (another model enables it).
            final java.util.Map<String, String> unusedOk = new java.util.TreeMap<>();
            node.path("unused_ok").properties().forEach(e -> unusedOk.put(e.getKey(), e.getValue().asText()));
            models.add(new Model(
                    text(node, "model", file),
                    text(node, "spec_dir", file),
                    text(node, "tla", file),
                    text(node, "cfg", file),
                    text(node, "expected", file),
                    node.path("distinct_states").asLong(-1),
                    node.path("deep").asBoolean(false),
                    List.copyOf(args), java.util.Map.copyOf(unusedOk)));
        }
        if (models.isEmpty()) {
            throw new IOException(file + " lists no models");
        }
        return new Manifest(file, root, List.copyOf(models));
    }

    private static String text(final JsonNode node, final String key, final Path file) throws IOException {
        final JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException(file + ": a model lacks \"" + key + "\": " + node);
        }
        return value.asText();
    }

    public List<Model> models() {
        return models;
    }


    /** Writes the distinct-state counts of this run back into the manifest. */
    public void recordDistinctStates(final List<TlcResult> results) throws IOException {
        for (final JsonNode node : root.path("models")) {
            for (final TlcResult r : results) {
                if (r.model().equals(node.path("model").asText()) && r.distinctStates() >= 0) {
                    ((ObjectNode) node).put("distinct_states", r.distinctStates());
                }
            }
        }
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
