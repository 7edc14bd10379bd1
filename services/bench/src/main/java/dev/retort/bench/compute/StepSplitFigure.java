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
 * "Other" is the loop's bookkeeping: reseeding, the step's sub-manager, attaching the weights.
 */
public final class StepSplitFigure implements Figure {

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
    d.put("formula", "forward (own) = forward - teacher - loss-service; other = step - sum of parts");
    String text = shares.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue()))
        .collect(Collectors.joining(", "));
    return FigureResult.info(id(), text, d);
  }

  /**
   * Splits the median step into its parts.
   *
   * @param steps the timed steps
   * @return seconds per part: teacher wait, forward, loss round trip, backward, optimiser, other
   */
  static Map<String, Double> split(StepFigures.Steps steps) {
    double teacher = steps.medianPart(StepTimer.TEACHER);
    double loss = steps.medianPart(StepTimer.LOSS_SERVICE);
    double forward = Math.max(0, steps.medianPart(StepTimer.FORWARD) - teacher - loss);
    double backward = steps.medianPart(StepTimer.BACKWARD);
    double optimizer = steps.medianPart(StepTimer.OPTIMIZER);
    double total = Stats.median(steps.seconds());
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("teacher wait", teacher);
    m.put("forward", forward);
    m.put("loss round trip", loss);
    m.put("backward", backward);
    m.put("optimiser", optimizer);
    m.put("other", Math.max(0, total - teacher - forward - loss - backward - optimizer));
    return m;
  }
}
