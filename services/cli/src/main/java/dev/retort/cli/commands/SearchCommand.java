package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.core.efficientbert.search.SearchResult;
import dev.retort.core.efficientbert.search.SearchRunner;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.weights.LoadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code retort search JOB.yaml}: runs (or resumes) one stage of EfficientBERT's FFN search in this
 * process and prints the hall of fame and the best architecture as a {@code student} section that
 * {@code retort distill} trains in full.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a stage of EfficientBERT's FFN search (the job's search section) in this process.",
      "",
      "Prints the hall of fame and the best six expressions as a student section for 'retort distill'.",
      "Running it again resumes the stage from its search-state.json."
    })
public final class SearchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "JOB.yaml", description = "The job file (see 'retort job-reference').")
  private Path jobFile;

  @Option(names = "--name", paramLabel = "N", description = "The job name (default: the job's name key or file name).")
  private String name;

  @Option(names = "--output", paramLabel = "DIR", description = "The run directory (default: output.dir, else runs/<name>).")
  private Path output;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigValues job = JobFiles.parse(jobFile);
    String jobName = name != null ? name : JobFiles.name(job, jobFile);
    if (output != null) {
      job = JobFiles.withOverrides(job, Map.of("output.dir", output.toAbsolutePath().toString()));
    }
    Path runs = Path.of("runs");
    SearchResult result = new SearchRunner(PathPolicy.unrestricted(), LoadOptions.defaults(), runs, () -> false).run(job, jobName);
    Path runDir = job.has("output.dir") ? Path.of(job.str("output.dir")) : runs.resolve(jobName);
    print(out, result, runDir);
    return ExitCodes.OK;
  }

  /**
   * Prints a search result: the summary with the hall of fame, then the job snippet.
   *
   * @param out where to print
   * @param result the result
   * @param runDir the search's run directory (holds {@code student-snippet.yaml})
   * @throws java.io.IOException if the snippet cannot be read
   */
  static void print(PrintWriter out, SearchResult result, Path runDir) throws java.io.IOException {
    out.println();
    out.print(result.describe());
    Path snippet = runDir.resolve("student-snippet.yaml");
    if (!result.hallOfFame().isEmpty() && Files.exists(snippet)) {
      out.println();
      out.println("Train the best architecture in full: put this student section into a job and run 'retort distill':");
      out.println();
      out.print(Files.readString(snippet));
    }
    out.println();
    out.println("Run directory: " + runDir);
  }
}
