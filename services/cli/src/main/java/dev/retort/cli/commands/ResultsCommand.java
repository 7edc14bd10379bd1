package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.Formats;
import dev.retort.cli.TextTable;
import dev.retort.cli.platform.EventLines;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.SummaryTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort results ID}: every evaluation of a job, and its final table. */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Shows a job's evaluations and, once finished, the teacher/student table.")
public final class ResultsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String id;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<EvaluationResult> results = new ArrayList<>();
    ProtoSerde<EvaluationResult> serde = ProtoSerde.of(EvaluationResult.getDefaultInstance());
    try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir());
        var reader = client.fromStart(Topics.EVAL_RESULTS)) {
      reader.drain(r -> serde.decode(r.value()).toOptional().ifPresent(results::add), id::equals);
    }
    if (results.isEmpty()) {
      out.println("No evaluations of job " + id + " yet.");
      return ExitCodes.FAILURE;
    }
    TextTable t = new TextTable("role", "step", "split", "metric", "value", "best", "params", "latency").rightAligned(1, 4, 6, 7);
    EvaluationResult last = null;
    for (EvaluationResult r : results) {
      t.row(r.getRole(), Long.toString(r.getStep()), r.getSplit(), r.getPrimaryMetric(), Formats.metric(r.getPrimaryValue()),
          r.getIsBest() ? "*" : "", Formats.parameters(r.getParameters()), Formats.millis(r.getLatencyMs()));
      if (r.hasSummary()) {
        last = r;
      }
    }
    out.print(t.render());
    if (last != null) {
      out.println();
      out.println(summaryLine(last.getSummary()));
    }
    return ExitCodes.OK;
  }

  /**
   * Returns a job's summary as one line.
   *
   * @param s the summary
   * @return e.g. {@code acc (test): teacher 0.6300, student 0.5700 (90.5% retained), 4.4x faster,
   *     22.71M vs 15.62M parameters}
   */
  static String summaryLine(SummaryTable s) {
    return String.format(Locale.ROOT, "%s: teacher %s, student %s (%s retained), %s faster, %s vs %s parameters",
        EventLines.metricLabel(s), Formats.metric(s.getTeacherValue()), Formats.metric(s.getStudentValue()),
        Formats.percent(s.getRetained()), Formats.factor(s.getSpeedup()), Formats.parameters(s.getTeacherParameters()),
        Formats.parameters(s.getStudentParameters()));
  }
}
