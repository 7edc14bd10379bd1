package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.tensor.StateDict;
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
public final class AdamW implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final AdamBetas betas;
  private final float eps;
  private final float weightDecay;
  private final MomentBuffers moments;
  private long t;

  private AdamW(Builder b) {
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.betas = AdamBetas.of(b.beta1, b.beta2);
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
    this.moments = new MomentBuffers(b.manager);
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

  /** {@inheritDoc} */
  @Override
  public long steps() {
    return t;
  }

  /** {@inheritDoc} */
  @Override
  public StateDict state() {
    return moments.state("adamw", t);
  }

  /** {@inheritDoc} */
  @Override
  public void load(StateDict state, List<TrainableParameter> params) {
    t = moments.load(state, params);
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    moments.close();
  }

  /** Builds an {@link AdamW}. */
  public static final class Builder {
    private NDManager manager;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private float eps = 1e-8f;
    private float weightDecay = 0.01f;

    /** Sets the manager the moment buffers live in (required). */
    public Builder setManager(NDManager m) {
      this.manager = m;
      return this;
    }

    /** Sets β1 and β2. */
    public Builder optBetas(double b1, double b2) {
      this.beta1 = b1;
      this.beta2 = b2;
      return this;
    }

    /** Sets ε. */
    public Builder optEps(float e) {
      this.eps = e;
      return this;
    }

    /** Sets the decoupled weight decay λ. */
    public Builder optWeightDecay(float wd) {
      this.weightDecay = wd;
      return this;
    }

    /** Validates and builds. */
    public AdamW build() {
      if (manager == null) {
        throw new IllegalStateException("You must set the manager the optimiser state lives in");
      }
      if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
      }
      if (!(eps > 0) || weightDecay < 0) {
        throw new IllegalArgumentException("eps must be positive and weight decay non-negative");
      }
      return new AdamW(this);
    }
  }
}
