package dev.retort.core.train;

import ai.djl.ndarray.NDManager;
import dev.retort.core.tensor.StateDict;
import java.util.List;

/**
 * What {@link AdamW} and {@link BertAdam} share: β1, β2, ε, the weight decay λ, the moment buffers
 * and the update count, saved and restored the same way. Each subclass keeps its own update rule.
 */
abstract class AdamFamily implements Optimizer {
  final double beta1;
  final double beta2;
  final AdamBetas betas;
  final float eps;
  final float weightDecay;
  final MomentBuffers moments;
  private final String stateName;
  long t;

  AdamFamily(Builder<?> b, String stateName) {
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.betas = AdamBetas.of(b.beta1, b.beta2);
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
    this.moments = new MomentBuffers(b.manager);
    this.stateName = stateName;
  }

  /** {@inheritDoc} */
  @Override
  public final long steps() {
    return t;
  }

  /** {@inheritDoc} */
  @Override
  public final StateDict state() {
    return moments.state(stateName, t);
  }

  /** {@inheritDoc} */
  @Override
  public final void load(StateDict state, List<TrainableParameter> params) {
    t = moments.load(state, params);
  }

  /** {@inheritDoc} */
  @Override
  public final void close() {
    moments.close();
  }

  /**
   * The settings every Adam-style optimiser takes, validated by {@link #validate()}.
   *
   * @param <B> the concrete builder, returned by each setter
   */
  public abstract static class Builder<B extends Builder<B>> {
    private NDManager manager;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private float eps;
    private float weightDecay = 0.01f;

    Builder(float defaultEps) {
      this.eps = defaultEps;
    }

    /** Returns this builder as its concrete type. */
    abstract B self();

    /** Sets the manager the moment buffers live in (required). */
    public B setManager(NDManager m) {
      this.manager = m;
      return self();
    }

    /** Sets β1 and β2. */
    public B optBetas(double b1, double b2) {
      this.beta1 = b1;
      this.beta2 = b2;
      return self();
    }

    /** Sets ε. */
    public B optEps(float e) {
      this.eps = e;
      return self();
    }

    /** Sets the weight decay λ (applied to the parameters whose weightDecay flag is set). */
    public B optWeightDecay(float wd) {
      this.weightDecay = wd;
      return self();
    }

    /** Checks the shared settings; each {@code build()} calls it first. */
    void validate() {
      if (manager == null) {
        throw new IllegalStateException("You must set the manager the optimiser state lives in");
      }
      if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
      }
      if (!(eps > 0) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException(
            "eps must be positive and weight decay non-negative: " + eps + ", " + weightDecay);
      }
    }
  }
}
