package dev.retort.core.distill.emd;

/**
 * BERT-EMD's cost-attention update of the layer weights (methods.md §1.5, §5.2), run without
 * gradients after every step with that step's flows F and distances D.
 *
 * <p>For the student side of one EMD, with the weights w that EMD was solved with:
 *
 * <pre>
 *   c_i  = Σ_j F_ij · d_ij          cost shipped out of student layer i
 *   C̄_i  = c_i / w_i                cost per unit of weight
 *   ŵ_i  = (Σ_k C̄_k) / C̄_i          0 when C̄_i = 0
 * </pre>
 *
 * and the teacher side is the same with column sums {@code c_j = Σ_i F_ij · d_ij}. Then, by {@link
 * Normalisation}: {@code V2022_SUM} sets {@code w = ŵ / Σŵ}; {@code V2020_SOFTMAX} sets {@code w =
 * softmax(ŵ / T_emd)}. Unless the EMDs are kept separate, the attention and hidden results are
 * averaged, {@code w_S = (w_S^A + w_S^H)/2} and {@code w_T = (w_T^A + w_T^H)/2}, and both EMDs use
 * the averages next step. {@code V2020_SOFTMAX} finally applies a second {@code softmax} (T = 1) to
 * every vector, as the paper-era code did with {@code add_softmax=True}.
 *
 * <p>The official code divides by zero in three places; {@link Guard#OFFICIAL} lets IEEE arithmetic
 * run as numpy does, {@link Guard#SAFE} (the default) applies these guards:
 *
 * <ol>
 *   <li>{@code w_i = 0}: C̄_i is {@code c_i/0}, NaN or infinite, and numpy then turns every weight
 *       into NaN. Safe: C̄_i = 0, so ŵ_i = 0 (a layer that carried no mass gets no credit).
 *   <li>every C̄ = 0 (all shipped costs zero, e.g. identical layers), so Σŵ = 0: numpy gives 0/0 =
 *       NaN everywhere. Safe: that side keeps its previous weights, as there is nothing to learn.
 *       The same applies if some ŵ overflows to infinity (C̄ ratios beyond 1e308).
 *   <li>a weight that ends at 0 (C̄_i = 0 above, or an underflowing softmax) makes guard 1 fire at
 *       the next step. Safe: every final weight is floored at {@link Builder#optMinWeight} (default
 *       {@code 1e-8}) and the vector renormalised, so the next transport problem keeps every layer
 *       and each vector sums to 1.
 * </ol>
 *
 * <p>Sums use numpy's pairwise order ({@link NumpyMath}), so {@code OFFICIAL} with {@code
 * V2022_SUM} reproduces the official float64 results bit for bit given the same F and D; with
 * {@code V2020_SOFTMAX}, {@code exp} may differ from numpy's by an ulp. Instances are immutable and
 * thread-safe.
 */
public final class CostAttention {

  /** How the inverse costs ŵ become weights. */
  public enum Normalisation {
    /** {@code w = ŵ / Σŵ}: the official code since 2021-08-06 ({@code T_emd} is ignored). */
    V2022_SUM,
    /** {@code w = softmax(ŵ / T_emd)}, then a second softmax after averaging (paper-era code). */
    V2020_SOFTMAX
  }

  /** How the divisions by zero of the official code are handled. */
  public enum Guard {
    /** Plain IEEE arithmetic as numpy: zero weights and zero costs give NaN, as upstream. */
    OFFICIAL,
    /** The guards in the class comment: no NaN, every weight at least the floor, sums of 1. */
    SAFE
  }

  private final Normalisation normalisation;
  private final Guard guard;
  private final double temperature;
  private final boolean separate;
  private final double minWeight;

  private CostAttention(Builder b) {
    this.normalisation = b.normalisation;
    this.guard = b.guard;
    this.temperature = b.temperature;
    this.separate = b.separate;
    this.minWeight = b.minWeight;
  }

  /** Returns the defaults: official {@code V2022_SUM}, averaged, {@code T_emd=1}; {@code SAFE}. */
  public static CostAttention create() {
    return builder().build();
  }

  /** Returns a builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder preset with this instance's options. */
  public Builder toBuilder() {
    return new Builder()
        .optNormalisation(normalisation)
        .optGuard(guard)
        .optTemperature(temperature)
        .optSeparate(separate)
        .optMinWeight(minWeight);
  }

  /** Returns the normalisation. */
  public Normalisation normalisation() {
    return normalisation;
  }

  /** Returns the guard mode. */
  public Guard guard() {
    return guard;
  }

  /** Returns {@code T_emd}, used by {@code V2020_SOFTMAX} only. */
  public double temperature() {
    return temperature;
  }

  /** Returns whether the attention and hidden weights are kept apart ({@code seperate=True}). */
  public boolean separate() {
    return separate;
  }

  /** Returns the floor every weight is raised to under {@code SAFE}. */
  public double minWeight() {
    return minWeight;
  }

  /** Returns the official starting weights, {@code 1/M} and {@code 1/N}. */
  public EmdLayerWeights initial(int studentLayers, int teacherLayers) {
    return EmdLayerWeights.uniform(studentLayers, teacherLayers);
  }

  /**
   * Returns the weights for the next step.
   *
   * <p>Pass {@code null} for both arrays of an EMD that was not computed this step (the official
   * {@code use_att=False} / {@code use_rep=False}); its weights then enter the average unchanged.
   *
   * @param current the weights both EMDs were solved with this step
   * @param attFlow attention flow F, {@code [M][N]}, or null
   * @param attDistance attention distances D, {@code [M][N]}, or null
   * @param hidFlow hidden-state flow F, {@code [M][N]}, or null
   * @param hidDistance hidden-state distances D, {@code [M][N]}, or null
   * @throws IllegalArgumentException on shape mismatches; under {@code SAFE} also on negative or
   *     non-finite F or D entries and on non-finite current weights
   */
  public EmdLayerWeights update(
      EmdLayerWeights current,
      double[][] attFlow,
      double[][] attDistance,
      double[][] hidFlow,
      double[][] hidDistance) {
    if (current == null) {
      throw new IllegalArgumentException("current weights must not be null");
    }
    boolean safe = guard == Guard.SAFE;
    if (safe && !current.isFinite()) {
      throw new IllegalArgumentException("current weights are not finite: " + current);
    }
    double[] sA = current.studentAtt();
    double[] tA = current.teacherAtt();
    double[] sH = current.studentHid();
    double[] tH = current.teacherHid();
    if (present("attention", attFlow, attDistance)) {
      LayerCosts costs =
          LayerCosts.of("attention", attFlow, attDistance, sA.length, tA.length, safe);
      sA = reweight(sA, costs.student());
      tA = reweight(tA, costs.teacher());
    }
    if (present("hidden", hidFlow, hidDistance)) {
      LayerCosts costs = LayerCosts.of("hidden", hidFlow, hidDistance, sH.length, tH.length, safe);
      sH = reweight(sH, costs.student());
      tH = reweight(tH, costs.teacher());
    }
    if (!separate) {
      sA = sH = InverseCostWeights.average(sA, sH);
      tA = tH = InverseCostWeights.average(tA, tH);
    }
    return new EmdLayerWeights(finish(sA), finish(tA), finish(sH), finish(tH));
  }

  /** Returns one side of one EMD reweighted, before averaging; see {@link InverseCostWeights}. */
  private double[] reweight(double[] w, double[] c) {
    return InverseCostWeights.reweight(
        w, c, normalisation == Normalisation.V2020_SOFTMAX, temperature, guard == Guard.SAFE);
  }

  private double[] finish(double[] w) {
    return InverseCostWeights.finish(
        w, normalisation == Normalisation.V2020_SOFTMAX, guard == Guard.SAFE, minWeight);
  }

  private static boolean present(String name, double[][] flow, double[][] distance) {
    if ((flow == null) != (distance == null)) {
      throw new IllegalArgumentException(
          "the " + name + " flow and distances must both be given or both be null");
    }
    return flow != null;
  }

  /** Builds a {@link CostAttention}; every option has a default. */
  public static final class Builder {
    private Normalisation normalisation = Normalisation.V2022_SUM;
    private Guard guard = Guard.SAFE;
    private double temperature = 1.0;
    private boolean separate;
    private double minWeight = 1e-8;

    private Builder() {}

    /** Sets the normalisation (default {@link Normalisation#V2022_SUM}). */
    public Builder optNormalisation(Normalisation normalisation) {
      this.normalisation = normalisation;
      return this;
    }

    /** Sets the guard mode (default {@link Guard#SAFE}). */
    public Builder optGuard(Guard guard) {
      this.guard = guard;
      return this;
    }

    /** Sets {@code T_emd} for {@code V2020_SOFTMAX} (default 1; the README uses 1, 5 or 10). */
    public Builder optTemperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Keeps attention and hidden weights apart instead of averaging them (default false). */
    public Builder optSeparate(boolean separate) {
      this.separate = separate;
      return this;
    }

    /** Sets the {@code SAFE} floor on every weight (default {@code 1e-8}). */
    public Builder optMinWeight(double minWeight) {
      this.minWeight = minWeight;
      return this;
    }

    /**
     * Validates the options and builds the update.
     *
     * @throws IllegalArgumentException on a null option, a temperature that is not finite and
     *     positive, or a floor outside {@code (0, 0.01]}
     */
    public CostAttention build() {
      if (normalisation == null || guard == null) {
        throw new IllegalArgumentException("normalisation and guard must not be null");
      }
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("T_emd must be finite and positive, got " + temperature);
      }
      if (!(minWeight > 0 && minWeight <= 0.01)) {
        throw new IllegalArgumentException("min weight must be in (0, 0.01], got " + minWeight);
      }
      return new CostAttention(this);
    }
  }
}
