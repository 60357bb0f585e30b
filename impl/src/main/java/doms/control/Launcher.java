package doms.control;

import java.util.List;

/**
 * How the control plane starts a doms process (a switch, a guest): the command line for the
 * given doms arguments. The command-line layer supplies it, so the control plane knows nothing
 * of the classes above it.
 */
@FunctionalInterface
public interface Launcher {
    List<String> command(List<String> domsArgs);
}
