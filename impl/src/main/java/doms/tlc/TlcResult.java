package doms.tlc;

import java.nio.file.Path;

/** What one TLC run of one model found. {@code result} is "pass" or the violated property's name. */
public record TlcResult(String model, String expected, String result, long distinctStates, double seconds, Path log) {
    public boolean matches() {
        return expected.equals(result);
    }
}
