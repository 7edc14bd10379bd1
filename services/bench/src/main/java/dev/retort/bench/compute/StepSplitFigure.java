package dev.retort.bench.compute;

import dev.retort.bench.BenchContext;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.core.train.StepTimer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the time of a step goes, from the core's {@link StepTimer} parts of the timed steps
 * (medians). The loop's {@code forward} part includes the teacher wait and the loss round trip,
 * which happen inside the step's loss function, so they are taken out of it here:
 *
 * <pre>
 * forward (own) = forward − teacher − loss-service
 * other         = step − (teacher + forward (own) + loss-service + backward + optimizer)
 * </pre>
 *
 * per step; the figure reports the median of each part over the timed steps.
 *
 * <p>"Other" is the loop's bookkeeping: reseeding, the step's sub-manager, attaching the weights.
 * {@link StepProfile} then splits the forward part into the student's pass and the loss terms.
 */
public final class StepSplitFigure implements Figure {
  /** Profiled passes that split the forward part further. */
  static final int PROFILED = 2;

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.STEP_SPLIT;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    StepFigures.Steps steps = StepFigures.steps(ctx);
    Map<String, Double> split = split(steps);
    double total = Stats.median(steps.seconds());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("median_step_seconds", total);
    d.put("median_seconds", split);
    Map<String, Double> shares = new LinkedHashMap<>();
    split.forEach((k, v) -> shares.put(k, total > 0 ? v / total : Double.NaN));
    d.put("shares", shares);
    d.put("per_step", steps.parts());
    d.put(
        "formula", "forward (own) = forward - teacher - loss-service; other = step - sum of parts");
    String text =
        shares.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue()))
            .collect(Collectors.joining(", "));
    ctx.progress(
        "step split: %d profiled passes (student forward, loss terms, backward)", PROFILED);
    Map<String, Double> profile = StepProfile.measure(StepFigures.workload(ctx), PROFILED);
    d.put("profile_median_seconds", profile);
    d.put(
        "profile",
        "the loop's forward part in two pieces: the student's forward pass with taps, and the"
            + " objective (masks, projection, 4x12 distance matrices, transport, loss terms)");
    double inside = profile.get("student forward") + profile.get("loss terms");
    text +=
        String.format(
            Locale.ROOT,
            " (forward = student %.0f%% + loss terms %.0f%%)",
            100 * profile.get("student forward") / inside,
            100 * profile.get("loss terms") / inside);
    return FigureResult.info(id(), text, d);
  }

  /**
   * Splits the timed steps into their parts: per step, the loop's forward minus the teacher wait
   * and the loss round trip, and the rest of the step's time; then the median of each part over the
   * steps (medians of parts need not add up to the median step).
   *
   * @param steps the timed steps
   * @return median seconds per part: teacher wait, forward, loss round trip, backward, optimiser,
   *     other
   */
  static Map<String, Double> split(StepFigures.Steps steps) {
    int n = steps.timed().size();
    double[][] parts = new double[6][n];
    for (int i = 0; i < n; i++) {
      var r = steps.timed().get(i);
      Map<String, Double> p = r.parts();
      double teacher = p.getOrDefault(StepTimer.TEACHER, 0.0);
      double loss = p.getOrDefault(StepTimer.LOSS_SERVICE, 0.0);
      double forward = Math.max(0, p.getOrDefault(StepTimer.FORWARD, 0.0) - teacher - loss);
      double backward = p.getOrDefault(StepTimer.BACKWARD, 0.0);
      double optimizer = p.getOrDefault(StepTimer.OPTIMIZER, 0.0);
      double[] row = {teacher, forward, loss, backward, optimizer, 0};
      row[5] = Math.max(0, r.seconds() - teacher - forward - loss - backward - optimizer);
      for (int k = 0; k < 6; k++) {
        parts[k][i] = row[k];
      }
    }
    String[] names = {
      "teacher wait", "forward", "loss round trip", "backward", "optimiser", "other"
    };
    Map<String, Double> m = new LinkedHashMap<>();
    for (int k = 0; k < 6; k++) {
      m.put(names[k], Stats.median(parts[k]));
    }
    return m;
  }
}
