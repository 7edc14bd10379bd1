package dev.retort.cli.platform;

import dev.retort.cli.Formats;
import dev.retort.cli.TextTable;
import dev.retort.messaging.ProtoSerde;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows one job's events until it ends: a progress bar per training phase (or a line per
 * evaluation when not on a terminal), evaluations as they come, and the final teacher/student
 * table.
 */
public final class JobFollower {
  private final String jobId;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean bars;
  private final ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
  private ProgressBar bar;
  private String phase;
  private JobEvent last;
  private Path artifacts;

  /**
   * Creates a follower.
   *
   * @param jobId the job
   * @param out where the result goes
   * @param err where progress goes
   * @param bars whether to draw progress bars
   */
  public JobFollower(String jobId, PrintWriter out, PrintWriter err, boolean bars) {
    this.jobId = jobId;
    this.out = out;
    this.err = err;
    this.bars = bars;
  }

  /**
   * Shows the export as a path on this machine: the platform's artifact store is local (the
   * demo's, or 'retort up'). Without it the export is shown relative to the store.
   *
   * @param root the artifact store
   * @return this follower
   */
  public JobFollower withArtifacts(Path root) {
    this.artifacts = root;
    return this;
  }

  /**
   * Reads events until the job ends or the time is up.
   *
   * @param events a reader of the events topic
   * @param timeout the longest wait
   * @return the terminal event, or null on timeout
   */
  public JobEvent follow(PlatformClient.TopicReader events, Duration timeout) {
    events.read(r -> {
      if (jobId.equals(r.key())) {
        var d = serde.decode(r.value());
        if (d.isOk()) {
          show(d.value());
        }
      }
    }, () -> last != null, timeout);
    closeBar();
    return last;
  }

  /** Shows one event of the job; a terminal one becomes {@link #last()}. */
  void show(JobEvent e) {
    switch (e.getKindCase()) {
      case ACCEPTED -> err.println("accepted by the platform");
      case PROGRESS -> progress(e.getProgress());
      case EVALUATED -> {
        String line = EventLines.evaluated(e.getEvaluated().getResult());
        if (bar != null) {
          bar.setExtraMessage(line);
        } else {
          err.println(line);
        }
      }
      case CHECKPOINT -> { }
      case FINISHED -> {
        closeBar();
        last = e;
        summary(e.getFinished().getSummary());
        if (!e.getFinished().getExportPath().isEmpty()) {
          out.println(exportLine(e.getFinished().getExportPath(), artifacts));
        }
      }
      case FAILED -> {
        if (JobEnds.ends(e)) {
          closeBar();
          last = e;
          err.println("job " + jobId + " " + EventLines.what(e));
        } else {
          err.println("warning: job " + jobId + " goes on, but " + EventLines.what(e));
        }
      }
      case REJECTED -> {
        closeBar();
        last = e;
        err.println("job " + jobId + " " + EventLines.what(e));
      }
      case CANCELLED -> {
        closeBar();
        last = e;
        err.println("job " + jobId + " cancelled");
      }
      default -> { }
    }
  }

  /** Returns the job's terminal event, or null while it goes on. */
  JobEvent last() {
    return last;
  }

  private void progress(JobEvent.Progress p) {
    if (!p.getPhase().equals(phase)) {
      closeBar();
      phase = p.getPhase();
      if (bars) {
        bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(p.getTotalSteps())
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
      }
    }
    if (bar != null) {
      bar.maxHint(p.getTotalSteps());
      bar.stepTo(p.getStep());
      bar.setExtraMessage(EventLines.losses(p));
    } else {
      err.println(EventLines.progress(p));
    }
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  private void summary(SummaryTable s) {
    if (s.getMetric().isEmpty()) {
      return;
    }
    TextTable t = new TextTable("", "teacher", "student").rightAligned(1, 2);
    t.row(EventLines.metricLabel(s), Formats.metric(s.getTeacherValue()), Formats.metric(s.getStudentValue()));
    t.row("retained", "", Formats.percent(s.getRetained()));
    t.row("parameters", Formats.parameters(s.getTeacherParameters()), Formats.parameters(s.getStudentParameters()));
    t.row("CPU latency (ms)", Formats.millis(s.getTeacherLatencyMs()), Formats.millis(s.getStudentLatencyMs()));
    t.row("speed-up", "", Formats.factor(s.getSpeedup()));
    out.println();
    out.print(t.render());
  }

  /**
   * Returns the line that says where the student was exported.
   *
   * @param exportPath the export, relative to the artifact store
   * @param artifacts the store when it is on this machine, else null
   * @return the line
   */
  static String exportLine(String exportPath, Path artifacts) {
    String where = artifacts == null ? exportPath + " (in the platform's artifact store)"
        : artifacts.resolve(exportPath).toString();
    return "Student exported to " + where + ": a Hugging Face directory that transformers'"
        + " from_pretrained loads (an EfficientBERT student's needs trust_remote_code=True).";
  }
}
