package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import dev.retort.core.engine.HostThreshold;

/**
 * Attention distillation on pre-softmax scores with the official masking rule:
 *
 * <pre>
 * mask(x) = 0 if x ≤ −100 else x         (elementwise, on both sides)
 * L_att   = mean((mask(A_S) − mask(A_T))²)  over B·A·L·L elements
 * </pre>
 *
 * Padded keys carry the additive −10000, so the rule removes them; padded query rows stay in the
 * mean, as in the TinyBERT, BERT-EMD ({@code emd_att_loss}, {@code :366-369}), HRKD and
 * EfficientBERT code. Student and teacher need the same number of heads.
 */
public final class AttentionScoreMse extends PairLoss {
  /** The metric tag of this term. */
  public static final String NAME = "att";

  /** Scores at or below this value are padding and count as 0. */
  public static final float MASK_THRESHOLD = -100f;

  /** Creates the term. */
  public AttentionScoreMse() {
    super(NAME);
  }

  /**
   * Computes the term.
   *
   * @param student student scores, [B, A, L, L]
   * @param teacher teacher scores, [B, A, L, L]; a constant: no gradient flows back to it
   * @return the masked mean squared error, a scalar
   */
  @Override
  public NDArray compute(NDArray student, NDArray teacher) {
    requireSameShape(NAME, student, teacher);
    return MeanSquaredError.of(masked(student), maskedConstant(teacher));
  }

  /**
   * Applies {@code mask(x)}: zero where {@code x ≤ −100}; the gradient is zero there too.
   *
   * <p>Computed as {@code x · (x > −100)}. On the CPU in float32 the indicator is made in one host
   * pass ({@link HostThreshold}) and the product is an engine op that autograd records; elsewhere
   * the indicator is the engine's comparison and cast.
   */
  public static NDArray masked(NDArray scores) {
    NDArray indicator = HostThreshold.indicatorAbove(scores, MASK_THRESHOLD);
    if (indicator == null) {
      return scores.mul(scores.gt(MASK_THRESHOLD).toType(scores.getDataType(), false));
    }
    NDArray out = scores.mul(indicator);
    indicator.close(); // the product's graph keeps it for the backward pass
    return out;
  }

  /**
   * Returns {@code mask(x)}'s factor for one score: 1 where {@code x > −100}, 0 where {@code x ≤
   * −100} (−∞ included), NaN for NaN. Computed as {@code min(1, max(0, x + 100) · 2¹²⁶)} without a
   * branch, so that the host loops over it ({@link HostFlowGradient}, the distances) compile to
   * SIMD instructions; a comparison and a select would not (0.65 against 0.2 ns an element).
   * Any score above −100 is at least 2⁻¹⁷ above it (the float spacing there), and 2⁻¹⁷·2¹²⁶ is far
   * above 1, so the factor is exactly 0 or 1.
   *
   * @param x a score
   * @return the factor, so that {@code x · keep(x)} is the engine form's {@code x · (x > −100)} bit
   *     for bit
   */
  public static float keep(float x) {
    return Math.min(1f, Math.max(0f, x - MASK_THRESHOLD) * 0x1p126f);
  }

  /**
   * Applies {@code mask(x)} to scores that no gradient flows back to (the teacher's): the same
   * values as {@link #masked}, in one host pass on the CPU in float32, without an autograd graph.
   * Elsewhere it is {@link #masked}.
   */
  public static NDArray maskedConstant(NDArray scores) {
    NDArray out = HostThreshold.zeroAtOrBelow(scores, MASK_THRESHOLD);
    return out != null ? out : masked(scores);
  }
}
