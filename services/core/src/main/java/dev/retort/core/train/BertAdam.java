package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The {@code BertAdam} of pytorch-pretrained-bert that the BERT-EMD code trains with ({@code
 * optimization.py:200-300}): no bias correction, ε 1e-6, each gradient tensor clipped to norm 1 on
 * its own, and weight decay added to the update.
 *
 * <pre>
 * g ← g · min(1, maxNorm / ‖g‖)            (per tensor)
 * m ← β1·m + (1−β1)·g
 * v ← β2·v + (1−β2)·g²
 * u ← m / (sqrt(v) + ε) + λ·p              (λ·p for decay parameters only)
 * p ← p − lr·u
 * </pre>
 *
 * The learning rate passed to {@link #step} already includes the {@code warmup_linear} schedule
 * ({@link LrSchedule#bertWarmupLinear}).
 *
 * <p>Each parameter is updated in one fused pass over its {@link HostViews}, split over the
 * engine's intra-op threads; a parameter without host views (another device, a strided view) is
 * updated with engine ops instead.
 */
public final class BertAdam extends AdamFamily {
  private final float maxGradNorm;

  private BertAdam(Builder b) {
    super(b, "bertadam");
    this.maxGradNorm = b.maxGradNorm;
  }

  /** Returns a builder with the BERT-EMD defaults: β 0.9/0.999, ε 1e-6, λ 0.01, clip 1.0. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public void step(List<TrainableParameter> params, float lr) {
    t++;
    for (TrainableParameter p : params) {
      NDArray w = p.array();
      if (!w.hasGradient()) {
        continue;
      }
      NDArray m = moments.first(p);
      NDArray v = moments.second(p);
      float decay = p.weightDecay() ? weightDecay : 0f;
      try (NDArray g = w.getGradient()) {
        float scale = clipScale(g);
        HostViews views = HostViews.of(w, g, m, v);
        if (views != null) {
          views.update((wa, ga, ma, va, len) -> update(wa, ga, ma, va, len, scale, decay, lr));
        } else {
          updateWithEngineOps(w, g, m, v, scale, decay, lr);
        }
      }
    }
  }

  /**
   * Returns the factor {@code torch.nn.utils.clip_grad_norm_} applies to this tensor alone: {@code
   * maxNorm / (‖g‖ + 1e-6)} when that is below 1, else 1. The norm is computed as torch computes
   * it, in the gradient's own precision.
   */
  private float clipScale(NDArray g) {
    if (maxGradNorm <= 0) {
      return 1f;
    }
    double norm;
    try (NDArray n = g.norm()) {
      norm = n.getFloat();
    }
    double coef = maxGradNorm / (norm + 1e-6);
    return coef < 1 ? (float) coef : 1f;
  }

  /** The update of one stripe in one pass, in the reference's order of operations. */
  private void update(
      float[] w, float[] grad, float[] m, float[] v, int len, float scale, float decay, float lr) {
    AdamBetas betas = this.betas;
    float eps = this.eps;
    for (int i = 0; i < len; i++) {
      float g = grad[i] * scale; // exact when the scale is 1
      float mi = betas.first(m[i], g);
      float vi = betas.second(v[i], g);
      m[i] = mi;
      v[i] = vi;
      float u = mi / ((float) Math.sqrt(vi) + eps) + decay * w[i];
      w[i] = w[i] - lr * u;
    }
  }

  /** The same update as engine ops, for arrays that have no host view (another device, a strided view). */
  private void updateWithEngineOps(
      NDArray w, NDArray g, NDArray m, NDArray v, float scale, float decay, float lr) {
    // Temporaries would otherwise attach to the weights' long-lived manager and leak per step.
    try (NDManager scratch = w.getManager().newSubManager()) {
      scratch.tempAttachAll(w, g, m, v);
      NDArray clipped = scale == 1f ? g : g.mul(scale);
      m.muli((float) beta1).addi(clipped.mul((float) (1 - beta1)));
      v.muli((float) beta2).addi(clipped.square().muli((float) (1 - beta2)));
      NDArray update = m.div(v.sqrt().addi(eps));
      if (decay > 0) {
        update.addi(w.mul(decay));
      }
      w.subi(update.muli(lr));
    }
  }

  /** Builds a {@link BertAdam}. */
  public static final class Builder extends AdamFamily.Builder<Builder> {
    private float maxGradNorm = 1.0f;

    private Builder() {
      super(1e-6f);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Sets the per-tensor gradient clipping norm; 0 disables it. */
    public Builder optMaxGradNorm(float n) {
      this.maxGradNorm = n;
      return this;
    }

    /** Validates and builds. */
    public BertAdam build() {
      validate();
      if (!(maxGradNorm >= 0)) {
        throw new IllegalArgumentException("the gradient clipping norm must be 0 (off) or positive: " + maxGradNorm);
      }
      return new BertAdam(this);
    }
  }
}
