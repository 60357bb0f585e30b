package doms.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The doms command line: {@code ./doms --help} lists the commands, each has {@code --help}. */
@Command(name = "doms",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Virtual switching without a hypervisor: shared-memory rings, a switch domain, and the evidence that they are right.",
        subcommands = {DemoCommand.class, ControlCommand.class, SwitchCommand.class, GuestCommand.class, PoolCommand.class, RingBenchCommand.class, TlcCommand.class, FuzzCommand.class, VerifyCommand.class, TestCommand.class, BenchCommand.class, RingWorkerCommand.class, JcstressCommand.class, MutateCommand.class, TraceCheckCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a check or run failed, 2 bad usage or a missing JDK, 3 skipped (a tool or root is missing)."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(final String... args) {
        return commandLine().execute(args);
    }

    /** The command line, configured: {@code test} hands whatever it does not know to Maven, in order. */
    static CommandLine commandLine() {
        final CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("test").setUnmatchedOptionsArePositionalParams(true);
        cli.setParameterExceptionHandler((e, a) -> {
            final String command = e.getCommandLine().getCommandSpec().qualifiedName();
            System.err.println(command + ": " + e.getMessage() + " (see '" + command + " --help')");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            final String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof IllegalArgumentException) {
                System.err.println(command + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            // An I/O failure in one line: a plain IOException's message says what went wrong (a
            // refusal); a subclass's may be a bare path, so its kind goes first.
            System.err.println(command + ": " + (e instanceof java.io.IOException && e.getMessage() != null
                    ? (e.getClass() == java.io.IOException.class ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage()
                    : "failed: " + e));
            return ExitCodes.FAILED;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"doms " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
