package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.JobFiles;
import dev.retort.cli.platform.PlatformCandidateEvaluator;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.core.efficientbert.search.SearchConfig;
import dev.retort.core.efficientbert.search.SearchResult;
import dev.retort.core.efficientbert.search.SearchRunner;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.weights.LoadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code retort search JOB.yaml}: runs (or resumes) one stage of EfficientBERT's FFN search in this
 * process and prints the hall of fame and the best architecture as a {@code student} section that
 * {@code retort distill} trains in full. With {@code --platform} (or {@code search.dispatch:
 * platform}) every candidate of stages 1 and 2 is trained as a distill job on the platform, {@code
 * search.parallel} at a time.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a stage of EfficientBERT's FFN search (the job's search section).",
      "",
      "The candidates train in this process, or (stages 1 and 2) as distill jobs on the platform"
          + " with --platform. Prints the hall of fame and the best six expressions as a student section for 'retort distill'."
          + " Running it again resumes the stage from its search-state.json."
    })
public final class SearchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "JOB.yaml", description = "The job file (see 'retort job-reference').")
  private Path jobFile;

  @Mixin private RunNamingMixin naming;

  @Option(names = "--platform", description = "Send each candidate to the platform as a distill job (search.dispatch: platform).")
  private boolean platform;

  @Option(names = "--supernet-ref", paramLabel = "REF",
      description = "How trainers find the supernet (student.supernet of the candidate jobs; default: its absolute path).")
  private String supernetRef;

  @Option(names = "--candidate-timeout", paramLabel = "MINUTES", defaultValue = "120",
      description = "Platform dispatch: how long to wait for one candidate's job (default ${DEFAULT-VALUE}).")
  private long candidateTimeout;

  @Mixin private PlatformOptionsMixin where;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigValues job = JobFiles.parse(jobFile);
    String jobName = naming.jobName(job, jobFile);
    job = naming.withOutput(job);
    if (platform) {
      job = JobFiles.withOverrides(job, Map.of("search.dispatch", "platform"));
    }
    Path runs = Path.of("runs");
    SearchRunner runner = new SearchRunner(PathPolicy.unrestricted(), LoadOptions.defaults(), runs, () -> false);
    SearchResult result;
    if ("platform".equals(job.str("search.dispatch"))) {
      List<PlatformCandidateEvaluator> open = new ArrayList<>();
      ConfigValues searchJob = job;
      try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir())) {
        runner.withDispatch((j, n, supernet, cancelled) -> {
          var e = new PlatformCandidateEvaluator(client, searchJob.explicitTree(), n,
              supernetRef != null ? supernetRef : supernet.toAbsolutePath().toString(),
              SearchConfig.of(j).protocol(), Duration.ofMinutes(candidateTimeout), cancelled);
          open.add(e);
          return e;
        });
        try {
          result = runner.run(job, jobName);
        } finally {
          open.forEach(PlatformCandidateEvaluator::close);
        }
      }
    } else {
      result = runner.run(job, jobName);
    }
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
