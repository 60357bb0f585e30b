package doms.evidence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * PIT mutation testing of the impl module (its configuration is in impl/pom.xml): runs it
 * through the Maven Wrapper and reads its mutations.xml into figures per package.
 */
public final class Pit {
    /** The packages PIT mutates (impl/pom.xml, targetClasses), in the order they are reported. */
    public static final List<String> PACKAGES = List.of("doms.ring", "doms.pool", "doms.sw");

    /** Compiles impl and its tests and runs PIT on them; resolves nothing of the project from the local repository. */
    static final List<String> GOALS = List.of("-pl", "impl", "test-compile", "org.pitest:pitest-maven:mutationCoverage");

    private Pit() {
    }

    /** One mutant as PIT reports it. {@code detected} is PIT's own verdict (killed, timed out, memory or run error). */
    public record Mutant(String mutatedClass, String method, int line, String mutator, String description, String status, boolean detected) {
        public String packageName() {
            final int dot = mutatedClass.lastIndexOf('.');
            return dot < 0 ? "" : mutatedClass.substring(0, dot);
        }
    }

    /** The figures of one package. Killed counts every detected mutant, as PIT's own score does. */
    public record Score(String name, long mutants, long killed, long survived, long noCoverage) {
        public double score() {
            return mutants == 0 ? 0 : (double) killed / mutants;
        }

        public Map<String, Object> json() {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("mutants", mutants);
            m.put("killed", killed);
            m.put("survived", survived);
            m.put("no_coverage", noCoverage);
            m.put("score", Math.round(score() * 1000) / 1000.0);
            return m;
        }
    }

    /** A PIT run: every mutant, the figures of each package in {@link #PACKAGES}, and PIT's HTML report. */
    public record Result(List<Mutant> mutants, List<Score> scores, Path report) {
        /** The --json object of {@code doms mutate}. */
        public Map<String, Object> json() {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("packages", scores.stream().map(Score::json).toList());
            out.put("report", report.toString());
            return out;
        }

        /** The headline figures, for verify's summary and the ledger: killed over mutants per package. */
        public Map<String, Object> figures() {
            final Map<String, Object> f = new LinkedHashMap<>();
            for (final Score s : scores) {
                f.put(s.name(), String.format("%d/%d killed (%.0f%%)", s.killed(), s.mutants(), 100 * s.score()));
            }
            return f;
        }
    }

    /** Runs PIT on impl (progress as in {@link #run}) and reads its report; null when the build or PIT failed. */
    public static Result runAndRead(final Path home, final Consumer<String> progress, final long tickSeconds)
            throws IOException, InterruptedException {
        if (!run(progress, tickSeconds)) {
            return null;
        }
        final Path reports = reportDirectory(home);
        final List<Mutant> mutants = mutants(mutationsXml(reports));
        return new Result(mutants, scores(mutants, PACKAGES), reports.resolve("index.html"));
    }

    public static Path reportDirectory(final Path home) {
        return home.resolve("impl/target/pit-reports");
    }

    /**
     * Runs PIT, sending its progress lines (and Maven's errors) to {@code progress}, with a line
     * of elapsed time every {@code tickSeconds}. True when Maven succeeded.
     */
    public static boolean run(final Consumer<String> progress, final long tickSeconds) throws IOException, InterruptedException {
        final Process maven = Maven.builder(false, GOALS).redirectErrorStream(true).start();
        final long start = System.nanoTime();
        final Thread ticker = Thread.ofVirtual().start(() -> {
            try {
                while (!maven.waitFor(tickSeconds, TimeUnit.SECONDS)) {
                    progress.accept(String.format("still running, %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (BufferedReader in = new BufferedReader(new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                final int pit = line.indexOf("PIT >> ");
                if (pit >= 0) {
                    progress.accept(line.substring(pit + "PIT >> ".length()));
                } else if (line.startsWith("[ERROR]") || line.contains(">> Generated") || line.contains(">> Line Coverage")) {
                    progress.accept(line);
                }
            }
        }
        final boolean ok = maven.waitFor() == 0;
        ticker.interrupt();
        return ok;
    }

    /** Every mutant in a PIT mutations.xml. */
    public static List<Mutant> mutants(final Path mutationsXml) throws IOException {
        final org.w3c.dom.Document doc;
        try {
            final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            final javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(final org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // reported once, in the IOException, not also printed by the parser
                }
            });
            doc = builder.parse(mutationsXml.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + mutationsXml + ": " + e.getMessage(), e);
        }
        final NodeList nodes = doc.getElementsByTagName("mutation");
        final List<Mutant> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            final Element e = (Element) nodes.item(i);
            out.add(new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"), Integer.parseInt(text(e, "lineNumber")),
                    text(e, "mutator"), text(e, "description"), e.getAttribute("status"), Boolean.parseBoolean(e.getAttribute("detected"))));
        }
        return out;
    }

    private static String text(final Element e, final String tag) {
        final NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }

    /** The figures of each package (inner packages count with none: doms.sw does not include doms.sw.x). */
    public static List<Score> scores(final List<Mutant> mutants, final List<String> packages) {
        final List<Score> out = new ArrayList<>();
        for (final String p : packages) {
            final List<Mutant> in = mutants.stream().filter(m -> m.packageName().equals(p)).toList();
            out.add(new Score(p, in.size(), in.stream().filter(Mutant::detected).count(),
                    in.stream().filter(m -> m.status().equals("SURVIVED")).count(),
                    in.stream().filter(m -> m.status().equals("NO_COVERAGE")).count()));
        }
        return out;
    }

    public static Path mutationsXml(final Path reportDirectory) throws IOException {
        final Path xml = reportDirectory.resolve("mutations.xml");
        if (!Files.isRegularFile(xml)) {
            throw new IOException("PIT wrote no " + xml);
        }
        return xml;
    }
}
