package dev.retort.cli;

import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: one progress bar per phase (teacher-finetune, distill, ...) with
 * step/total, the latest losses and the dev metric, on an interactive terminal; otherwise (a pipe,
 * a CI log, tests) a plain line at every evaluation and at the end of each phase.
 */
public final class ProgressListener implements TrainingListener, AutoCloseable {
  private final PrintWriter err;
  private final boolean bars;
  private final String label;
  private final Map<String, Long> resumedAt;

  private ProgressBar bar;
  private String phase;
  private long total;
  private long step;
  private String losses = "";
  private double dev = Double.NaN;
  private double best = Double.NaN;

  /**
   * Creates a listener.
   *
   * @param err where plain progress lines go
   * @param bars whether to draw progress bars (an interactive terminal)
   * @param label prefixed to phase names ({@code "pkd"} gives {@code "pkd/distill"}); empty for
   *     none
   * @param resumedAt the step each phase resumes from ({@link RunDirectory#resumeSteps()})
   */
  public ProgressListener(
      PrintWriter err, boolean bars, String label, Map<String, Long> resumedAt) {
    this.err = err;
    this.bars = bars;
    this.label = label;
    this.resumedAt = Map.copyOf(resumedAt);
  }

  /** Returns whether standard error looks like an interactive terminal. */
  public static boolean interactive() {
    return System.console() != null;
  }

  /** {@inheritDoc} */
  @Override
  public synchronized void onStep(TrainState state, StepReport report) {
    enter(state.phase(), report.totalSteps());
    step = state.step();
    losses = losses(report.losses());
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(message());
    }
  }

  /** {@inheritDoc} */
  @Override
  public synchronized void onEvaluation(
      TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {
    if (!state.phase().equals(phase)) {
      enter(state.phase(), total);
    }
    step = state.step();
    dev = primary;
    best = state.bestValue();
    if (bar != null) {
      bar.setExtraMessage(message());
    } else {
      String best = isBest ? " (best so far)" : "";
      err.println(name() + " step " + step + "/" + total + ": dev " + metrics(metrics) + best);
      err.flush();
    }
  }

  /** Ends the current phase: closes its bar, or prints where it ended. */
  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    } else if (phase != null && step > 0) {
      err.println(name() + " ended at step " + step + "/" + total + ": " + message());
      err.flush();
    }
    phase = null;
  }

  private void enter(String newPhase, long totalSteps) {
    if (newPhase.equals(phase)) {
      return;
    }
    close();
    phase = newPhase;
    total = totalSteps;
    step = 0;
    dev = Double.NaN;
    best = Double.NaN;
    losses = "";
    long start = resumedAt.getOrDefault(newPhase, 0L);
    if (bars) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(name())
              .setInitialMax(totalSteps)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUnit(" steps", 1)
              .startsFrom(start, Duration.ZERO)
              .build();
    } else {
      err.println(
          name()
              + ": "
              + (start > 0 ? "resuming at step " + start + " of " : "")
              + totalSteps
              + " steps");
      err.flush();
    }
  }

  private String name() {
    return label.isEmpty() ? phase : label + "/" + phase;
  }

  private String message() {
    StringJoiner j = new StringJoiner(" · ");
    if (!losses.isEmpty()) {
      j.add("loss " + losses);
    }
    if (!Double.isNaN(dev)) {
      j.add("dev " + Formats.metric(dev) + " (best " + Formats.metric(best) + ")");
    }
    return j.toString();
  }

  /** Returns {@code "0.5321 [kd 0.4100 pred 0.1221]"}: the total first, then the terms. */
  static String losses(Map<String, Double> terms) {
    Double total = terms.get("total");
    StringJoiner parts = new StringJoiner(" ", " [", "]").setEmptyValue("");
    terms.forEach(
        (k, v) -> {
          if (!k.equals("total")) {
            parts.add(k + " " + Formats.loss(v));
          }
        });
    return (total == null ? "" : Formats.loss(total)) + (terms.size() > 2 ? parts.toString() : "");
  }

  private static String metrics(Map<String, Double> m) {
    StringJoiner j = new StringJoiner(" ");
    m.forEach((k, v) -> j.add(k + "=" + Formats.metric(v)));
    return j.toString();
  }
}
