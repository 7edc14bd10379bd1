package dev.retort.cli;

import dev.retort.core.RetortException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints failures the way a user can act on them: a {@link RetortException} (bad input) as its
 * message alone on one line, exit code 2; a wrong option or argument as picocli's message and a
 * hint, exit code 2; anything else as one line naming the exception, exit code 1. With {@code
 * --verbose} the stack trace follows.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final Retort root;

  ErrorReporter(Retort root) {
    this.root = root;
  }

  /** {@inheritDoc} */
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    RetortException bad = ExitCodes.userError(ex);
    if (bad != null) {
      err.println(bad.getMessage());
    } else {
      String what =
          ex.getMessage() == null
              ? ex.getClass().getName()
              : ex.getClass().getSimpleName() + ": " + ex.getMessage();
      err.println("retort " + cmd.getCommandName() + " failed: " + what);
      if (!root.verbose()) {
        err.println("Run it again with --verbose for the stack trace.");
      }
    }
    if (root.verbose()) {
      ex.printStackTrace(err);
    }
    err.flush();
    return bad != null ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
  }

  /** {@inheritDoc} */
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }
}
