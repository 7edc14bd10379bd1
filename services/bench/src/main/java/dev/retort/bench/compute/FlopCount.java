package dev.retort.bench.compute;

import dev.retort.core.model.BertConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Floating-point operations of the matrix products of BERT passes, counted analytically (a
 * multiply-add is 2 FLOPs). Element-wise work (GELU, LayerNorm, softmax, dropout, the loss terms)
 * is not counted: it costs time but no matmul FLOPs, so it lowers the efficiency figures.
 *
 * <pre>
 * encoder  = B·L·N·(2·(4H² + 2HI) + 4LH)     Q, K, V, O projections, FFN in and out; QKᵀ and A·V
 * head     = B·(2H² + 2HC)                    pooler and classifier
 * project  = P·B·L·2·H·H_T                    P student states projected to the teacher's width
 * step     = 3 · (encoder + head + project)   backward ≈ 2 × forward
 * </pre>
 *
 * @param flops the count
 * @param formula how it was counted
 * @param inputs the numbers that went in
 */
public record FlopCount(double flops, String formula, Map<String, Object> inputs) {

  /** The encoder formula. */
  public static final String ENCODER = "B·L·N·(2·(4H² + 2HI) + 4LH)";

  /**
   * Counts an encoder forward pass.
   *
   * @param c the encoder's shape
   * @param batch B
   * @param length L
   * @return the FLOPs
   */
  public static double encoder(BertConfig c, int batch, int length) {
    double h = c.hiddenSize();
    double i = c.intermediateSize();
    double perTokenLayer = 2 * (4 * h * h + 2 * h * i) + 4.0 * length * h;
    return (double) batch * length * c.numLayers() * perTokenLayer;
  }

  /** Counts the pooler and classifier: {@code B·(2H² + 2HC)}. */
  public static double head(BertConfig c, int batch, int classes) {
    double h = c.hiddenSize();
    return batch * (2 * h * h + 2 * h * classes);
  }

  /**
   * Counts {@code states} projections from width {@code hs} to {@code ht}: {@code P·B·L·2·H·H_T}.
   */
  public static double projection(int states, int batch, int length, int hs, int ht) {
    return (double) states * batch * length * 2.0 * hs * ht;
  }

  /**
   * Counts a teacher forward pass (no gradients).
   *
   * @param teacher the teacher's shape
   * @param batch B
   * @param length L
   * @param classes C
   * @return the count with its formula
   */
  public static FlopCount teacherForward(BertConfig teacher, int batch, int length, int classes) {
    double f = encoder(teacher, batch, length) + head(teacher, batch, classes);
    return new FlopCount(
        f, "forward = " + ENCODER + " + B·(2H² + 2HC)", shape(teacher, batch, length, classes));
  }

  /**
   * Counts a distillation step of the student: forward and backward (twice the forward), teacher
   * outputs given.
   *
   * @param student the student's shape
   * @param teacherWidth H_T
   * @param projected P, the student states projected to the teacher's width (0 without projection)
   * @param batch B
   * @param length L
   * @param classes C
   * @return the count with its formula
   */
  public static FlopCount studentStep(
      BertConfig student, int teacherWidth, int projected, int batch, int length, int classes) {
    double fwd =
        encoder(student, batch, length)
            + head(student, batch, classes)
            + projection(projected, batch, length, student.hiddenSize(), teacherWidth);
    Map<String, Object> in = shape(student, batch, length, classes);
    in.put("H_T", teacherWidth);
    in.put("P", projected);
    in.put("forward_flops", fwd);
    return new FlopCount(
        3 * fwd, "step = 3 · (" + ENCODER + " + B·(2H² + 2HC) + P·B·L·2·H·H_T)", in);
  }

  /** Returns the FLOPs of an {@code n×n} by {@code n×n} product: {@code 2n³}. */
  public static double matmul(int n) {
    return 2.0 * n * n * n;
  }

  /** Returns the count, formula and inputs as JSON fields. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flops", flops);
    m.put("formula", formula);
    m.put("inputs", inputs);
    return m;
  }

  /** Formats FLOP/s as GFLOP/s. */
  public static String gflops(double flopsPerSecond) {
    return String.format(Locale.ROOT, "%.1f GFLOP/s", flopsPerSecond / 1e9);
  }

  private static Map<String, Object> shape(BertConfig c, int batch, int length, int classes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("B", batch);
    m.put("L", length);
    m.put("N", c.numLayers());
    m.put("H", c.hiddenSize());
    m.put("I", c.intermediateSize());
    m.put("A", c.numHeads());
    m.put("C", classes);
    return m;
  }
}
