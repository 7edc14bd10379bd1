package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import dev.retort.core.engine.Scalars;

/**
 * Soft cross-entropy between teacher and student logits with temperature, averaged over B·C
 * elements as the reference code does (not summed over classes):
 *
 * <pre>
 * L_pred = mean_{b,c}[ −softmax(z_T / T)_c · log_softmax(z_S / T)_c ] · (T² if scaled) / divisor
 * </pre>
 *
 * BERT-EMD's {@code distillation_loss} scales by T² (divisor {@code reduce_T}, 1 by default); its
 * older {@code soft_cross_entropy} divides by 2 as well; HRKD and EfficientBERT use neither.
 */
public final class SoftCrossEntropy extends PairLoss {
  /** The metric tag of this term. */
  public static final String NAME = "pred";

  private final float temperature;
  private final boolean scaleByTSquared;
  private final float divisor;

  /**
   * Creates the term.
   *
   * @param temperature T &gt; 0
   * @param scaleByTSquared whether to multiply by T²
   * @param divisor a final divisor (1, or 2 for BERT-EMD's {@code new_pred_loss=False})
   */
  public SoftCrossEntropy(float temperature, boolean scaleByTSquared, float divisor) {
    super(NAME);
    if (!(temperature > 0) || !(divisor > 0)) {
      throw new IllegalArgumentException("temperature and divisor must be positive");
    }
    this.temperature = temperature;
    this.scaleByTSquared = scaleByTSquared;
    this.divisor = divisor;
  }

  /**
   * Computes the term.
   *
   * @param studentLogits [B, C]
   * @param teacherLogits [B, C]
   * @return the soft cross-entropy, a scalar
   */
  @Override
  public NDArray compute(NDArray studentLogits, NDArray teacherLogits) {
    requireSameShape(NAME, studentLogits, teacherLogits);
    NDArray pT = Scalars.div(teacherLogits, temperature).softmax(-1); // [B, C]
    NDArray logPs = Scalars.div(studentLogits, temperature).logSoftmax(-1); // [B, C]
    float scale = (scaleByTSquared ? temperature * temperature : 1f) / divisor;
    return Scalars.mul(pT.mul(logPs).neg().mean(), scale);
  }
}
