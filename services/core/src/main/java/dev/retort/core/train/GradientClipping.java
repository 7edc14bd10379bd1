package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Global gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_} over all parameters. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient by {@code min(1, maxNorm / (‖g‖ + 1e-6))}, where ‖g‖ is the L2 norm over
   * all gradients together.
   *
   * @param params the parameters whose gradients are clipped in place
   * @param maxNorm the largest allowed global norm; 0 or less only measures
   * @return the global norm before clipping (NaN or infinite if a gradient is)
   */
  public static double clipGlobalNorm(List<TrainableParameter> params, double maxNorm) {
    double sq = 0;
    for (TrainableParameter p : params) {
      NDArray w = p.array();
      if (!w.hasGradient()) {
        continue;
      }
      try (NDManager scratch = w.getManager().newSubManager()) {
        NDArray g = w.getGradient();
        g.attach(scratch);
        sq += g.toType(DataType.FLOAT64, false).square().sum().getDouble();
      }
    }
    double norm = Math.sqrt(sq);
    if (maxNorm > 0 && Double.isFinite(norm)) {
      double coef = maxNorm / (norm + 1e-6);
      if (coef < 1) {
        for (TrainableParameter p : params) {
          NDArray w = p.array();
          if (w.hasGradient()) {
            try (NDArray g = w.getGradient()) {
              g.muli((float) coef); // in place: returns g itself, nothing new to free
            }
          }
        }
      }
    }
    return norm;
  }
}
