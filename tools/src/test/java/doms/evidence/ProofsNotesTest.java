package doms.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * proofs-notes/ says which Java implements each spec action: these checks keep that true as
 * the code moves. Every action in a spec's {@code Next} has a row in spec-mapping.md's table
 * for that spec, and every {@code Class#method} the notes name is declared in the project's
 * sources.
 */
class ProofsNotesTest {
    private static final Path HOME = ProjectHome.dir();
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:doms\\.[a-z]+\\.)?)([A-Z][A-Za-z0-9]*)#([a-zA-Z_][A-Za-z0-9_]*)");

    /** The operators a spec's {@code Next} is made of: its identifiers that the spec defines with {@code ==}. */
    static Set<String> nextActions(final String spec) {
        final Matcher next = Pattern.compile("(?ms)^Next ==\\n(.*?)\\n\\s*\\n").matcher(spec);
        assertThat(next.find()).as("a Next definition").isTrue();
        final Set<String> actions = new LinkedHashSet<>();
        // (An identifier after "\in" is a set the action ranges over, not an action.)
        final Matcher id = Pattern.compile("(?<!\\\\in )\\b([A-Z][A-Za-z0-9]*)\\b").matcher(next.group(1));
        while (id.find()) {
            if (Pattern.compile("(?m)^" + id.group(1) + "(\\([^)]*\\))?\\s*==").matcher(spec).find()) {
                actions.add(id.group(1));
            }
        }
        return actions;
    }

    /** The actions with no row in the notes' table: rows whose first cell names {@code `Action`} or {@code `Action(}. */
    static List<String> unmapped(final Set<String> actions, final String section) {
        final List<String> missing = new ArrayList<>();
        for (final String action : actions) {
            final Pattern row = Pattern.compile("(?m)^\\| [^|]*`" + action + "[`(]");
            if (!row.matcher(section).find()) {
                missing.add(action);
            }
        }
        return missing;
    }

    /** The {@code Class#method} references in {@code text} that no source file declares, given the sources by class name. */
    static List<String> undeclared(final String text, final Map<String, List<Path>> sources) throws IOException {
        final List<String> missing = new ArrayList<>();
        final Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            final String pkg = m.group(1);
            final List<Path> files = sources.getOrDefault(m.group(2), List.of()).stream()
                    .filter(f -> pkg.isEmpty() || f.toString().replace('/', '.').contains(pkg + m.group(2) + ".java")).toList();
            // A declaration: modifiers, a type (not a statement's keyword), the name, its parameters.
            final Pattern declared = Pattern.compile("(?m)^\\s+(?:(?:public|private|protected|static|final|synchronized|abstract|default)\\s+)*"
                    + "(?!return\\b|new\\b|throw\\b|else\\b|yield\\b)[\\w.]+(?:<[^()=;]*>)?(?:\\[\\])*\\s+" + m.group(3) + "\\(");
            boolean found = false;
            for (final Path f : files) {
                found |= declared.matcher(Files.readString(f)).find();
            }
            if (!found) {
                missing.add(m.group());
            }
        }
        return missing;
    }

    private static Map<String, List<Path>> javaSources() throws IOException {
        final Map<String, List<Path>> byName = new TreeMap<>();
        for (final String module : List.of("impl", "tools", "stress", "fuzz", "bench")) {
            try (Stream<Path> files = Files.walk(HOME.resolve(module).resolve("src"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> byName
                        .computeIfAbsent(f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(f));
            }
        }
        return byName;
    }

    private static String section(final String notes, final String heading) {
        final int from = notes.indexOf(heading);
        assertThat(from).as(heading).isNotNegative();
        final int to = notes.indexOf("\n## ", from + heading.length());
        return notes.substring(from, to < 0 ? notes.length() : to);
    }

    @Test
    void everyActionOfEachSpecHasItsRowInSpecMapping() throws IOException {
        final String notes = Files.readString(HOME.resolve("proofs-notes/spec-mapping.md"));
        for (final String spec : List.of("ring/Ring.tla", "pool/Pool.tla")) {
            final Set<String> actions = nextActions(Files.readString(HOME.resolve("spec").resolve(spec)));
            assertThat(actions).as(spec).hasSizeGreaterThan(5);
            assertThat(unmapped(actions, section(notes, "## " + (spec.startsWith("ring") ? "Ring" : "Pool") + " (`spec/" + spec + "`)")))
                    .as("actions of %s with no row in spec-mapping.md", spec).isEmpty();
        }
    }

    @Test
    void everyMethodTheNotesNameIsDeclared() throws IOException {
        final Map<String, List<Path>> sources = javaSources();
        try (Stream<Path> notes = Files.list(HOME.resolve("proofs-notes"))) {
            for (final Path note : notes.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                assertThat(undeclared(Files.readString(note), sources)).as("methods %s names that no source declares", note.getFileName()).isEmpty();
            }
        }
    }

    @Test
    void theChecksThemselvesCanFail() throws IOException {
        final String spec = "Slots == {1}\nAct(s) == TRUE\nOther == FALSE\nNext ==\n    \\/ \\E s \\in Slots : Act(s)\n    \\/ Other\n\n";
        assertThat(nextActions(spec)).containsExactly("Act", "Other");
        assertThat(unmapped(Set.of("Act", "Other"), "| `Act(s)` | calls `Other` |\n")).containsExactly("Other");
        final Map<String, List<Path>> sources = javaSources();
        // (refreshConsumerPosition is RingProducer's: a method named on the wrong class is undeclared.)
        assertThat(undeclared("`RingProducer#offer`, `doms.ring.RingProducer#offerTwice`, `doms.sw.RingProducer#offer`, `RingConsumer#refreshConsumerPosition`", sources))
                .containsExactly("doms.ring.RingProducer#offerTwice", "doms.sw.RingProducer#offer", "RingConsumer#refreshConsumerPosition");
    }
}
