package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.Formats;
import dev.retort.cli.TextTable;
import dev.retort.cli.platform.EventLines;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code retort jobs}: every job the platform has seen, with its latest status. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists jobs and their latest status, from the job events topic.")
public final class JobsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, JobStatus> jobs = new LinkedHashMap<>();
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir());
        var reader = client.fromStart(Topics.JOB_EVENTS)) {
      reader.drain(r -> serde.decode(r.value()).toOptional().ifPresent(e -> jobs.computeIfAbsent(e.getJobId(), k -> new JobStatus()).apply(e)), k -> true);
    }
    TextTable t = new TextTable("job", "status", "phase", "step", "last metric").rightAligned(3);
    jobs.forEach((id, s) -> t.row(id, s.status(), s.phase, s.step, s.metric));
    out.print(t.render());
    return ExitCodes.OK;
  }

  /**
   * A job's state as its events tell it. A failed event marked {@code job_continues} (a request
   * the trainer cannot start yet, a snapshot the evaluator could not score) is a warning: it is
   * shown beside the status until the job makes progress or ends, and does not end the job.
   */
  static final class JobStatus {
    String status = "submitted";
    String warning = "";
    String phase = "";
    String step = "";
    String metric = "";

    String status() {
      return warning.isEmpty() ? status : status + " (warning: " + warning + ")";
    }

    void apply(JobEvent e) {
      switch (e.getKindCase()) {
        case ACCEPTED -> status = "accepted";
        case PROGRESS -> {
          warning = "";
          status = "running";
          phase = e.getProgress().getPhase();
          step = e.getProgress().getStep() + "/" + e.getProgress().getTotalSteps();
        }
        case EVALUATED -> metric = e.getEvaluated().getResult().getRole() + " " + e.getEvaluated().getResult().getPrimaryMetric()
            + " " + Formats.metric(e.getEvaluated().getResult().getPrimaryValue());
        case FINISHED -> {
          warning = "";
          status = "finished";
          var s = e.getFinished().getSummary();
          metric = "student " + EventLines.metricLabel(s) + " " + Formats.metric(s.getStudentValue()) + " (" + Formats.percent(s.getRetained()) + " of teacher)";
        }
        case FAILED -> {
          if (e.getFailed().getJobContinues()) {
            warning = e.getFailed().getReason();
          } else {
            warning = "";
            status = "failed: " + e.getFailed().getReason();
          }
        }
        case REJECTED -> status = "rejected: " + e.getRejected().getReason();
        case CANCELLED -> status = "cancelled";
        default -> { }
      }
    }
  }
}
