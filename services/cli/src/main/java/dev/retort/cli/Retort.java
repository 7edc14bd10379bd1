package dev.retort.cli;

import dev.retort.cli.commands.BenchCommand;
import dev.retort.cli.commands.CancelCommand;
import dev.retort.cli.commands.CompareCommand;
import dev.retort.cli.commands.DemoCommand;
import dev.retort.cli.commands.DownCommand;
import dev.retort.cli.commands.JobsCommand;
import dev.retort.cli.commands.ResultsCommand;
import dev.retort.cli.commands.SearchCommand;
import dev.retort.cli.commands.StatusCommand;
import dev.retort.cli.commands.SubmitCommand;
import dev.retort.cli.commands.UpCommand;
import dev.retort.cli.commands.DistillCommand;
import dev.retort.cli.commands.EvalCommand;
import dev.retort.cli.commands.ExamplesCommand;
import dev.retort.cli.commands.ExportCommand;
import dev.retort.cli.commands.FineTuneCommand;
import dev.retort.cli.commands.JobReferenceCommand;
import dev.retort.cli.commands.SampleDataCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code retort} command: parses the arguments, picks the subcommand and maps the outcome to an
 * exit code ({@link ExitCodes}). Every subcommand is one class in {@code dev.retort.cli.commands};
 * commands that talk to the Kafka services are added to the list below the same way.
 */
@Command(
    name = "retort",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Compresses BERT models by knowledge distillation (BERT-EMD, TinyBERT, PKD, HRKD, ...).",
    subcommands = {
      DistillCommand.class,
      SearchCommand.class,
      FineTuneCommand.class,
      EvalCommand.class,
      ExportCommand.class,
      CompareCommand.class,
      SampleDataCommand.class,
      ExamplesCommand.class,
      JobReferenceCommand.class,
      DemoCommand.class,
      UpCommand.class,
      DownCommand.class,
      SubmitCommand.class,
      JobsCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      ResultsCommand.class,
      BenchCommand.class,
      HelpCommand.class
    })
public final class Retort implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log progress details and print the stack trace of errors.")
  private boolean verbose;

  /** Returns whether {@code --verbose} was given (on this command or a subcommand). */
  public boolean verbose() {
    return verbose;
  }

  /** Without a subcommand there is nothing to do: shows the usage and fails as bad input. */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("Missing command.");
    spec.commandLine().usage(err);
    return ExitCodes.BAD_INPUT;
  }

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(args, out, err));
  }

  /**
   * Runs the command line without exiting (what {@link #main} and the tests call).
   *
   * @param args the arguments
   * @param out where results go
   * @param err where messages, progress and errors go
   * @return the exit code: {@link ExitCodes#OK}, {@link ExitCodes#FAILURE} or {@link
   *     ExitCodes#BAD_INPUT}
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Builds the command line with its output streams, error handlers and logging set-up.
   *
   * @param out where results go
   * @param err where messages go
   * @return the configured command line
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    Retort root = new Retort();
    ErrorReporter errors = new ErrorReporter(root);
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setExecutionStrategy(
        parsed -> {
          Logging.configure(root.verbose());
          return new RunLast().execute(parsed);
        });
    return cl;
  }
}
