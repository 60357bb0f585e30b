package doms.tlc;

import java.io.IOException;

/** One way to model-check one model of the manifest: {@link TlcRunner} or {@link DistributedRunner}. */
@FunctionalInterface
public interface ModelCheck {
    TlcResult run(Manifest.Model model) throws IOException, InterruptedException;
}
