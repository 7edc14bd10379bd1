package dev.retort.cli.platform;

import dev.retort.cli.Formats;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One readable line per job event, shared by {@code retort status} and the follower of {@code
 * retort submit --follow} and {@code retort demo}: progress as losses and throughput, evaluations
 * as a metric on a split, the end as its outcome.
 */
public final class EventLines {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Width of the source column: the longest name of a local replica, {@code evaluator}. */
  static final int SOURCE_WIDTH = 9;

  private EventLines() {}

  /**
   * Returns an event as one line: its time (UTC), its source and what happened. The source is
   * padded to {@value #SOURCE_WIDTH} characters, so that the local platform's replicas ({@code
   * trainer}, {@code evaluator}, ...) line up.
   *
   * @param e the event
   * @return the line
   */
  public static String line(JobEvent e) {
    Instant t = Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos());
    String source = String.format(Locale.ROOT, "%-" + SOURCE_WIDTH + "s", e.getSource());
    return CLOCK.format(t) + "  " + source + "  " + what(e);
  }

  /**
   * Returns what an event says, without its time and source.
   *
   * @param e the event
   * @return the description
   */
  public static String what(JobEvent e) {
    return switch (e.getKindCase()) {
      case ACCEPTED -> "accepted: " + e.getAccepted().getTotalSteps() + " steps planned";
      case PROGRESS -> progress(e.getProgress());
      case CHECKPOINT -> "checkpoint " + e.getCheckpoint().getPhase() + " step " + e.getCheckpoint().getStep()
          + ": " + e.getCheckpoint().getPath();
      case EVALUATED -> evaluated(e.getEvaluated().getResult());
      case FINISHED -> finished(e.getFinished());
      case FAILED -> "failed: " + e.getFailed().getReason()
          + (e.getFailed().getLastCheckpoint().isEmpty() ? "" : " (last checkpoint " + e.getFailed().getLastCheckpoint() + ")");
      case REJECTED -> rejected(e.getRejected());
      case CANCELLED -> "cancelled at step " + e.getCancelled().getStep()
          + (e.getCancelled().getLastCheckpoint().isEmpty() ? "" : " (last checkpoint " + e.getCancelled().getLastCheckpoint() + ")");
      case KIND_NOT_SET -> "an event of a kind this client does not know";
    };
  }

  /**
   * Returns a progress report: phase, step, every loss term and the throughput.
   *
   * @param p the report
   * @return e.g. {@code distill step 5/9 emb=0.03045 total=0.4004 (65.0 examples/s)}
   */
  public static String progress(JobEvent.Progress p) {
    return String.format(Locale.ROOT, "%s step %d/%d %s (%.1f examples/s)", p.getPhase(), p.getStep(),
        p.getTotalSteps(), losses(p), p.getExamplesPerSecond());
  }

  /**
   * Returns a progress report's loss terms.
   *
   * @param p the report
   * @return e.g. {@code emb=0.03045 hid=0.2082 total=0.4004}, in the report's order
   */
  public static String losses(JobEvent.Progress p) {
    return p.getLossesMap().entrySet().stream()
        .map(en -> en.getKey() + "=" + Formats.loss(en.getValue()))
        .collect(Collectors.joining(" "));
  }

  /**
   * Returns an evaluation: role, split, step and the selection metric, marked when it is the best.
   *
   * @param r the result
   * @return e.g. {@code student dev at step 5: acc = 0.3000 (best so far)}
   */
  public static String evaluated(EvaluationResult r) {
    return String.format(Locale.ROOT, "%s %s at step %d: %s = %s%s", r.getRole(), r.getSplit(), r.getStep(),
        r.getPrimaryMetric(), Formats.metric(r.getPrimaryValue()), r.getIsBest() ? " (best so far)" : "");
  }

  /**
   * Returns a summary's metric with the split its values come from, e.g. {@code acc (test)}: the
   * progress lines report dev, and the table's student is the best checkpoint on dev scored on
   * test when test is labelled. A summary from before the split was sent shows the metric alone.
   *
   * @param s the summary of a finished job
   * @return the label
   */
  public static String metricLabel(SummaryTable s) {
    return s.getSplit().isEmpty() ? s.getMetric() : s.getMetric() + " (" + s.getSplit() + ")";
  }

  private static String finished(JobEvent.Finished f) {
    StringBuilder b = new StringBuilder("finished");
    if (f.hasSummary() && !f.getSummary().getMetric().isEmpty()) {
      var s = f.getSummary();
      b.append(": ").append(metricLabel(s)).append(" teacher ").append(Formats.metric(s.getTeacherValue()))
          .append(", student ").append(Formats.metric(s.getStudentValue()))
          .append(" (").append(Formats.percent(s.getRetained())).append(" retained)");
    }
    if (!f.getExportPath().isEmpty()) {
      b.append("; exported to ").append(f.getExportPath());
    }
    return b.toString();
  }

  private static String rejected(JobEvent.Rejected r) {
    return "rejected: " + (r.getWhere().isEmpty() ? "" : r.getWhere() + ": ") + r.getReason()
        + (r.getFix().isEmpty() ? "" : ". " + r.getFix());
  }
}
