package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import dev.retort.core.distill.loss.HardCrossEntropy;
import dev.retort.core.distill.loss.RegressionMse;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prediction-layer loss with its hard-label mix, as BERT-EMD's {@code distillation_loss}:
 *
 * <pre>
 * classification: L_pred = α · SCE_T(z_S, z_T) + (1 − α) · CE(z_S, y)
 * regression:     L_pred = α · MSE(z_S, z_T)  + (1 − α) · MSE(z_S, y)
 * </pre>
 *
 * With {@code regressionTarget = GOLD} the regression loss is {@code MSE(z_S, y)} alone
 * (EfficientBERT on STS-B).
 */
public final class PredictionLoss {

  /** What a regression student is trained to match. */
  public enum RegressionTarget {
    /** The teacher's prediction (mixed with gold by α). */
    TEACHER,
    /** The gold score only. */
    GOLD
  }

  private final boolean regression;
  private final float alpha;
  private final RegressionTarget regressionTarget;
  private final SoftCrossEntropy soft;
  private final HardCrossEntropy hard = new HardCrossEntropy();
  private final RegressionMse toTeacher = new RegressionMse(RegressionMse.TEACHER);
  private final RegressionMse toGold = new RegressionMse(RegressionMse.GOLD);

  /**
   * Creates the loss.
   *
   * @param regression whether the task is regression
   * @param alpha weight of the soft (teacher) part, in [0, 1]
   * @param soft the soft cross-entropy (temperature, T² scaling)
   * @param regressionTarget what regression matches
   */
  public PredictionLoss(boolean regression, float alpha, SoftCrossEntropy soft, RegressionTarget regressionTarget) {
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    this.regression = regression;
    this.alpha = alpha;
    this.soft = soft;
    this.regressionTarget = regressionTarget;
  }

  /**
   * Computes the loss and its parts.
   *
   * @param student student logits, [B, C] or [B, 1]
   * @param teacher teacher logits, same shape (may be null when α = 0 or the target is gold)
   * @param labels class ids [B] int64, or scores [B] float32
   * @return the weighted total and the unweighted parts ({@code pred}, {@code hard})
   */
  public LossBreakdown compute(NDArray student, NDArray teacher, NDArray labels) {
    Map<String, NDArray> terms = new LinkedHashMap<>();
    NDArray total;
    if (regression && regressionTarget == RegressionTarget.GOLD) {
      NDArray g = toGold.compute(student, labels);
      terms.put(RegressionMse.GOLD, g);
      return new LossBreakdown(g, terms);
    }
    NDArray softPart = null;
    NDArray hardPart = null;
    if (alpha > 0) {
      softPart = regression ? toTeacher.compute(student, teacher) : soft.compute(student, teacher);
      terms.put(SoftCrossEntropy.NAME, softPart);
    }
    if (alpha < 1) {
      hardPart = regression ? toGold.compute(student, labels) : hard.compute(student, labels);
      terms.put(HardCrossEntropy.NAME, hardPart);
    }
    if (softPart != null && hardPart != null) {
      total = Scalars.mul(softPart, alpha).add(Scalars.mul(hardPart, 1 - alpha));
    } else if (softPart != null) {
      total = softPart;
    } else {
      total = hardPart;
    }
    return new LossBreakdown(total, terms);
  }
}
