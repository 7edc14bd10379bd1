package dev.retort.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Starts a detached OS process whose output goes to a log file.
 *
 * <p>Output is appended to the file by the operating system (no pipe back to this JVM), so the
 * process keeps running, and keeps logging, after the JVM that started it exits: that is how
 * {@code retort up} returns while the stack stays up. Each start appends a header line, so the
 * output of a restart follows that of the crashed run.
 */
public final class ProcessLauncher {
  /** Longest argument written in full to the log header; a 45-jar classpath is not. */
  private static final int MAX_LOGGED_ARG = 160;

  private ProcessLauncher() {}

  /**
   * Starts a process.
   *
   * @param command the command and its arguments
   * @param workDir the working directory (created if missing)
   * @param env environment variables added to this JVM's environment
   * @param logFile the file stdout and stderr are appended to (its directory is created)
   * @return the started process
   */
  public static Process launch(
      List<String> command, Path workDir, Map<String, String> env, Path logFile) {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.writeString(logFile,
          "=== retort-stack " + Instant.now() + " starting: " + describe(command) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close(); // no input: a read of stdin sees end of file
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + " (log " + logFile + ")",
          e);
    }
  }

  /** Returns the command for the log, with very long arguments (a classpath) shortened. */
  static String describe(List<String> command) {
    StringBuilder sb = new StringBuilder();
    for (String arg : command) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(arg.length() <= MAX_LOGGED_ARG ? arg
          : arg.substring(0, MAX_LOGGED_ARG) + "...(" + arg.length() + " characters)");
    }
    return sb.toString();
  }
}
