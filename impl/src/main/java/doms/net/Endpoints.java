package doms.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parsing {@code ADDRESS[:PORT]} arguments (IPv4, or IPv6 in brackets), with one-line errors. */
public final class Endpoints {
    private Endpoints() {
    }

    public static InetSocketAddress parse(final String text, final int defaultPort) {
        final String t = text.trim();
        String host = t;
        int port = defaultPort;
        final int close = t.lastIndexOf(']');
        final int colon = t.lastIndexOf(':');
        if (t.startsWith("[") && close > 0) {
            host = t.substring(1, close);
            if (close + 1 < t.length()) {
                port = port(t.substring(close + 2), text);
            }
        } else if (colon > 0 && t.indexOf(':') == colon) {
            host = t.substring(0, colon);
            port = port(t.substring(colon + 1), text);
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("bad address '" + text + "': give a numeric IP address, like 10.99.0.1 or 10.99.0.1:4789");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address '" + text + "': " + e.getMessage());
        }
    }

    private static int port(final String p, final String text) {
        try {
            final int port = Integer.parseInt(p);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below says it all
        }
        throw new IllegalArgumentException("bad port in '" + text + "': expected 0..65535");
    }
}
