package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} computes it (HRKD and
 * EfficientBERT train with it).
 *
 * <pre>
 * p ← p − lr·λ·p                          (decay parameters only)
 * m ← β1·m + (1−β1)·g
 * v ← β2·v + (1−β2)·g²
 * p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + ε)
 * </pre>
 *
 * <p>Each parameter is updated in one fused pass over its {@link HostViews}, split over the
 * engine's intra-op threads; a parameter without host views (another device, a strided view) is
 * updated with engine ops instead.
 */
public final class AdamW extends AdamFamily {
  private AdamW(Builder b) {
    super(b, "adamw");
  }

  /** Returns a builder with PyTorch's defaults (β 0.9/0.999, ε 1e-8) and weight decay 0.01. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public void step(List<TrainableParameter> params, float lr) {
    t++;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2 = 1 - Math.pow(beta2, t);
    float stepSize = (float) (lr / bc1);
    float sqrtBc2 = (float) Math.sqrt(bc2);
    for (TrainableParameter p : params) {
      NDArray w = p.array();
      if (!w.hasGradient()) {
        continue;
      }
      NDArray m = moments.first(p);
      NDArray v = moments.second(p);
      float keep = p.weightDecay() && weightDecay > 0 ? 1 - lr * weightDecay : 1f;
      try (NDArray g = w.getGradient()) {
        HostViews views = HostViews.of(w, g, m, v);
        if (views != null) {
          views.update(
              (wa, ga, ma, va, len) -> update(wa, ga, ma, va, len, keep, stepSize, sqrtBc2));
        } else {
          updateWithEngineOps(w, g, m, v, keep, stepSize, sqrtBc2);
        }
      }
    }
  }

  /** The update of one stripe in one pass, in {@code torch.optim.AdamW}'s order of operations. */
  private void update(
      float[] w, float[] grad, float[] m, float[] v, int len, float keep, float stepSize,
      float sqrtBc2) {
    AdamBetas betas = this.betas;
    float eps = this.eps;
    for (int i = 0; i < len; i++) {
      float g = grad[i];
      float mi = betas.first(m[i], g);
      float vi = betas.second(v[i], g);
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
      float wi = w[i] * keep; // p.mul_(1 - lr * weight_decay); exact when keep is 1
      w[i] = wi - mi / denom * stepSize; // p.addcdiv_(exp_avg, denom, value=-step_size)
    }
  }

  /** The same update as engine ops, for arrays that have no host view (another device, a strided view). */
  private void updateWithEngineOps(
      NDArray w, NDArray g, NDArray m, NDArray v, float keep, float stepSize, float sqrtBc2) {
    // Temporaries would otherwise attach to the weights' long-lived manager and leak per step.
    try (NDManager scratch = w.getManager().newSubManager()) {
      scratch.tempAttachAll(w, g, m, v);
      if (keep != 1f) {
        w.muli(keep);
      }
      m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
      v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
      NDArray denom = v.sqrt().divi(sqrtBc2).addi(eps);
      w.subi(m.div(denom).muli(stepSize));
    }
  }

  /** Builds an {@link AdamW}. */
  public static final class Builder extends AdamFamily.Builder<Builder> {
    private Builder() {
      super(1e-8f);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds. */
    public AdamW build() {
      validate();
      return new AdamW(this);
    }
  }
}
