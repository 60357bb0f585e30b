package doms.tlc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Finds tla2tools.jar, which no registry serves: first the {@code TLA2TOOLS_JAR} variable, then
 * the cache folder ({@code $DOMS_CACHE_DIR}, else {@code $XDG_CACHE_HOME/doms}, else
 * {@code ~/.cache/doms}), and otherwise downloads the pinned release into that cache.
 */
public final class Tla2Tools {
    public static final String PINNED_VERSION = "v1.8.0";
    public static final String PINNED_URL = "https://github.com/tlaplus/tlaplus/releases/download/" + PINNED_VERSION + "/tla2tools.jar";
    public static final String JAR_NAME = "tla2tools.jar";

    /** Either a jar, or the one-line reason there is none. */
    public record Located(Path jar, String source, String reason) {
        public boolean found() {
            return jar != null;
        }
    }

    private Tla2Tools() {
    }

    public static Path cacheDirectory(final Map<String, String> env) {
        final String explicit = env.get("DOMS_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        final String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "doms");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "doms");
    }

    public static Located locate(final Map<String, String> env, final boolean download) {
        final String variable = env.get("TLA2TOOLS_JAR");
        if (variable != null && !variable.isBlank()) {
            final Path jar = Path.of(variable);
            return Files.isRegularFile(jar)
                    ? new Located(jar, "TLA2TOOLS_JAR", null)
                    : new Located(null, null, "TLA2TOOLS_JAR names " + jar + ", which is not a file");
        }
        final Path cached = cacheDirectory(env).resolve(JAR_NAME);
        if (Files.isRegularFile(cached)) {
            return new Located(cached, "cache", null);
        }
        if (!download) {
            return new Located(null, null, "no tla2tools.jar: set TLA2TOOLS_JAR or put it at " + cached);
        }
        try {
            downloadTo(cached);
            return new Located(cached, "downloaded " + PINNED_VERSION, null);
        } catch (IOException e) {
            return new Located(null, null, "no tla2tools.jar (TLA2TOOLS_JAR unset, nothing at " + cached
                    + ", and the download of " + PINNED_VERSION + " failed: " + oneLine(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Located(null, null, "interrupted while downloading tla2tools.jar");
        }
    }

    private static String oneLine(final Exception e) {
        final String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /**
     * Downloads the pinned release. The release is not signed in a way we can pin here, so the
     * SHA-256 of what arrived is printed for the user to compare with the release page.
     */
    private static void downloadTo(final Path target) throws IOException, InterruptedException {
        final HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(PINNED_URL)).timeout(Duration.ofSeconds(120)).GET().build();
        final HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode() + " from " + PINNED_URL);
        }
        Files.createDirectories(target.getParent());
        final Path partial = Files.createTempFile(target.getParent(), "tla2tools", ".part");
        try (InputStream body = response.body()) {
            Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("tlc: downloaded " + PINNED_URL + " (sha256 " + sha256(partial) + ")");
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String sha256(final Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
