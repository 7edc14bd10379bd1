package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Samples a new valid FFN expression from a seed by mutate-until-valid, as the reference's {@code
 * sample_individual} does.
 *
 * <p>Each try starts again from the seed and applies, in order, {@link Mutations#uniform}, {@link
 * Mutations#nodeReplacement}, {@link Mutations#ephemeral} (optional) and {@link Mutations#insert};
 * the first result that passes the rules is returned. The reference allows 1000 tries in stage 1
 * and 400 in stage 2, and falls back to the seed when all fail.
 */
public final class ExpressionSampler {
  /** The reference's tries per expression in stage 1. */
  public static final int STAGE1_MAX_TRIES = 1000;

  /** The reference's tries per expression in stage 2. */
  public static final int STAGE2_MAX_TRIES = 400;

  private final PrimitiveSet pset;
  private final ValidityRules rules;
  private final int maxTries;
  private final boolean sizeChange;
  private final int hiddenSize;
  private final int ffnHiddenSize;

  private ExpressionSampler(Builder b) {
    this.pset = b.pset;
    this.rules = b.rules;
    this.maxTries = b.maxTries;
    this.sizeChange = b.sizeChange;
    this.hiddenSize = b.hiddenSize;
    this.ffnHiddenSize = b.ffnHiddenSize;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies the mutation pipeline once, without checking validity.
   *
   * @param seed the starting expression
   * @param rnd the random source
   * @return the mutated tree
   */
  public Expr mutate(Expr seed, RandomGenerator rnd) {
    Expr e = Mutations.uniform(seed, pset, rnd);
    e = Mutations.nodeReplacement(e, pset, rnd);
    if (sizeChange) {
      e = Mutations.ephemeral(e, pset, rnd);
    }
    return Mutations.insert(e, pset, rnd);
  }

  /**
   * Returns whether the expression passes the rules and, when a width check is configured, fits the
   * model's channel widths. Generic (stage-2) linears are not width-checked: bind a size first.
   *
   * @param expr the tree
   * @return whether the sampler would accept it
   */
  public boolean accepts(Expr expr) {
    if (hiddenSize <= 0) {
      return rules.isValid(expr);
    }
    List<LinearSize> sizes = ExprTrees.linearSizes(expr);
    if (sizes.isEmpty() || sizes.get(0).isGeneric()) {
      return rules.isValid(expr);
    }
    return rules.check(expr, hiddenSize, sizes.get(0).innerWidth(ffnHiddenSize)).isEmpty();
  }

  /**
   * Mutates the seed until the result is accepted.
   *
   * @param seed the starting expression; its symbols must belong to the primitive set
   * @param rnd the random source
   * @return the first accepted mutant, or empty after the maximum number of tries
   * @throws RetortException if the seed uses symbols outside the primitive set
   */
  public Optional<Expr> trySample(Expr seed, RandomGenerator rnd) {
    if (!pset.containsAll(seed)) {
      throw new RetortException(
          "FFN seed expression '" + seed + "'",
          "it uses symbols outside the "
              + (pset.hasSizedLinears() ? "stage-1" : "stage-2")
              + " primitive set",
          pset.hasSizedLinears()
              ? "Use linearA_B in stage-1 seeds"
              : "Use the generic linear in stage-2 seeds (ExprTrees.withLinearSize(seed,"
                  + " LinearSize.GENERIC))");
    }
    for (int i = 0; i < maxTries; i++) {
      Expr candidate = mutate(seed, rnd);
      if (accepts(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Mutates the seed until the result is accepted, falling back to the seed as the reference does.
   *
   * @param seed the starting expression
   * @param rnd the random source
   * @return an accepted mutant, or {@code seed} after the maximum number of tries
   */
  public Expr sample(Expr seed, RandomGenerator rnd) {
    return trySample(seed, rnd).orElse(seed);
  }

  /** Builds an {@link ExpressionSampler}; the primitive set is required. */
  public static final class Builder {
    private PrimitiveSet pset;
    private ValidityRules rules = ValidityRules.defaults();
    private int maxTries = STAGE1_MAX_TRIES;
    private boolean sizeChange = true;
    private int hiddenSize = -1;
    private int ffnHiddenSize = -1;

    private Builder() {}

    /** Sets the symbols mutations draw from: {@link PrimitiveSet#stage1()} or {@code stage2()}. */
    public Builder setPrimitiveSet(PrimitiveSet p) {
      this.pset = p;
      return this;
    }

    /** Sets the rules (default {@link ValidityRules#defaults()}). */
    public Builder optRules(ValidityRules r) {
      this.rules = r;
      return this;
    }

    /** Sets the number of tries (default 1000, the reference's stage 1; stage 2 uses 400). */
    public Builder optMaxTries(int n) {
      this.maxTries = n;
      return this;
    }

    /**
     * Sets whether each try also changes both linears' {@code A_B} (default true). False reproduces
     * the reference, whose {@code mutEphemeral} step is a no-op; see {@link Mutations#ephemeral}.
     */
    public Builder optSizeChange(boolean on) {
      this.sizeChange = on;
      return this;
    }

    /**
     * Also rejects expressions whose channel widths do not fit H and {@code m = int(I / B)} (off by
     * default, as in the reference, where they fail at training time).
     *
     * @param hidden H
     * @param ffnHidden I, usually H
     * @return this builder
     */
    public Builder optWidthCheck(int hidden, int ffnHidden) {
      this.hiddenSize = hidden;
      this.ffnHiddenSize = ffnHidden;
      return this;
    }

    /**
     * Builds the sampler.
     *
     * @return the sampler
     * @throws IllegalArgumentException if the primitive set is missing or a bound is not positive
     */
    public ExpressionSampler build() {
      if (pset == null || rules == null) {
        throw new IllegalArgumentException("you must set the primitive set");
      }
      if (maxTries < 1) {
        throw new IllegalArgumentException("max tries must be positive, got " + maxTries);
      }
      if (hiddenSize == 0 || (hiddenSize > 0 && ffnHiddenSize <= 0)) {
        throw new IllegalArgumentException(
            "width check needs positive H and I, got " + hiddenSize + " and " + ffnHiddenSize);
      }
      return new ExpressionSampler(this);
    }
  }
}
