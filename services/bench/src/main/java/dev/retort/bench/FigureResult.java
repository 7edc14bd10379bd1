package dev.retort.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one figure measured: its value (usually a ratio of two numbers timed in the same run), the
 * text printed in the table, the target and whether it was reached, and every input and
 * intermediate number for the JSON report.
 *
 * @param figure which figure
 * @param status measured, informational (no target), skipped or failed
 * @param value the figure's value compared with the target; NaN when there is none
 * @param measured the table's text, e.g. {@code 0.42 (38.1 / 90.5 GFLOP/s)}
 * @param target the goal, or null for an informational figure
 * @param note why it was skipped or failed, or a remark
 * @param unmet a condition besides the target that the figure did not meet (e.g. "at the same
 *     loss"), or empty
 * @param details inputs (shapes, repetitions), raw timings, medians and intermediate results
 */
public record FigureResult(
    FigureId figure,
    Status status,
    double value,
    String measured,
    Target target,
    String note,
    String unmet,
    Map<String, Object> details) {

  /** How the figure ended. */
  public enum Status {
    /** Measured and compared with its target. */
    MEASURED,
    /** Measured; there is no target to compare with (stated only). */
    INFO,
    /** Not measured here, with the reason in {@link #note()}. */
    SKIPPED,
    /** The measurement broke, with the reason in {@link #note()}. */
    FAILED
  }

  /** Copies the details. */
  public FigureResult {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    note = note == null ? "" : note;
    unmet = unmet == null ? "" : unmet;
  }

  /** Returns a measured figure with a target. */
  public static FigureResult measured(
      FigureId figure, double value, String measured, Target target, Map<String, Object> details) {
    return new FigureResult(figure, Status.MEASURED, value, measured, target, "", "", details);
  }

  /** Returns a figure stated without a target. */
  public static FigureResult info(FigureId figure, String measured, Map<String, Object> details) {
    return new FigureResult(figure, Status.INFO, Double.NaN, measured, null, "", "", details);
  }

  /** Returns a skipped figure. */
  public static FigureResult skipped(FigureId figure, String reason) {
    return new FigureResult(
        figure, Status.SKIPPED, Double.NaN, "skipped: " + reason, null, reason, "", Map.of());
  }

  /** Returns a failed figure. */
  public static FigureResult failed(FigureId figure, String reason) {
    return new FigureResult(
        figure, Status.FAILED, Double.NaN, "failed: " + reason, null, reason, "", Map.of());
  }

  /** Returns a copy with a note. */
  public FigureResult withNote(String text) {
    return new FigureResult(figure, status, value, measured, target, text, unmet, details);
  }

  /** Returns a copy that did not meet a condition besides its target. */
  public FigureResult withUnmet(String condition) {
    return new FigureResult(figure, status, value, measured, target, note, condition, details);
  }

  /**
   * Returns whether the target (and every other condition) was reached, or null without a verdict.
   */
  public Boolean reached() {
    if (status != Status.MEASURED || target == null) {
      return null;
    }
    return unmet.isEmpty() && target.reachedBy(value);
  }

  /**
   * Returns the table's verdict: {@code yes}, {@code no (0.18 short)}, {@code stated}, or a dash.
   */
  public String verdict() {
    Boolean r = reached();
    if (r == null) {
      return status == Status.INFO ? "stated" : "–";
    }
    if (r) {
      return "yes";
    }
    String why =
        target.reachedBy(value)
            ? unmet
            : target.shortfall(value) + (unmet.isEmpty() ? "" : "; " + unmet);
    return "no (" + why + ")";
  }

  /** Returns the figure as a JSON object. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("figure", figure.id());
    m.put("title", figure.title());
    m.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    m.put("value", Double.isFinite(value) ? value : null);
    m.put("measured", measured);
    m.put("target", target == null ? null : target.toMap());
    m.put("reached", reached());
    if (!note.isEmpty()) {
      m.put("note", note);
    }
    if (!unmet.isEmpty()) {
      m.put("unmet", unmet);
    }
    m.put("details", details);
    return m;
  }
}
