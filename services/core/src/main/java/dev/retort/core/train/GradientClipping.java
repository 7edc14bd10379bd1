package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Global gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_} over all parameters. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient by {@code min(1, maxNorm / (‖g‖ + 1e-6))}, where ‖g‖ is the L2 norm over
   * all gradients together.
   *
   * <p>As in torch, each tensor's norm is computed in the gradient's own precision and the norms
   * are combined; a float64 copy of every gradient (this method's first version) cost 50 ms a step
   * for a 14.5M-parameter student against 3 ms.
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
      try (NDArray g = w.getGradient(); NDArray n = g.norm()) {
        double norm = n.getFloat();
        sq += norm * norm;
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
