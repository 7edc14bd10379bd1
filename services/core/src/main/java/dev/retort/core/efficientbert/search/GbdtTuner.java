package dev.retort.core.efficientbert.search;

import dev.retort.core.data.SeededRandom;
import java.util.Random;

/**
 * Chooses a classifier's hyper-parameters by a small seeded random search, in place of the
 * reference's hyperopt TPE ({@code max_evals=10}, {@code action_space.py:430-460}).
 *
 * <p>The samples are split once, at random, into 80% for fitting and 20% for validation. Trial 0
 * uses {@link GbdtParams#defaults()}, the others {@link GbdtParams#random}; the trial with the
 * lowest validation error wins (the earlier on ties) and is refitted on all samples. The reference
 * also re-fits until the validation error is below 0.5; here the best trial is kept whatever its
 * error. With fewer than {@code 2 / validationFraction} samples, or when the fitting part holds one
 * class only, the defaults are fitted on all samples.
 */
public final class GbdtTuner {
  private final int trials;
  private final double validationFraction;

  /**
   * Creates a tuner.
   *
   * @param trials hyper-parameter sets tried, at least 1 (reference: 10)
   * @param validationFraction the held-out fraction, in (0, 1) (reference: 0.2)
   */
  public GbdtTuner(int trials, double validationFraction) {
    if (trials < 1 || !(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "need at least one trial and a validation fraction in (0, 1); got "
              + trials
              + ", "
              + validationFraction);
    }
    this.trials = trials;
    this.validationFraction = validationFraction;
  }

  /** Returns the reference's budget: 10 trials, 20% held out. */
  public static GbdtTuner reference() {
    return new GbdtTuner(10, 0.2);
  }

  /**
   * Tunes and fits a classifier.
   *
   * @param x feature vectors // [n, d]
   * @param y labels 0 or 1 // [n]
   * @param seed seeds the split, the trials and the fits
   * @return the classifier fitted on all samples with the best hyper-parameters
   */
  public GbdtClassifier fit(double[][] x, int[] y, long seed) {
    int n = x.length;
    int nVal = (int) Math.floor(n * validationFraction);
    if (nVal < 2 || trials == 1) {
      return GbdtClassifier.fit(x, y, GbdtParams.defaults(), seed);
    }
    int[] perm = SeededRandom.of(seed, 1).permutation(n);
    double[][] xFit = new double[n - nVal][];
    int[] yFit = new int[n - nVal];
    double[][] xVal = new double[nVal][];
    int[] yVal = new int[nVal];
    for (int i = 0; i < n; i++) {
      if (i < nVal) {
        xVal[i] = x[perm[i]];
        yVal[i] = y[perm[i]];
      } else {
        xFit[i - nVal] = x[perm[i]];
        yFit[i - nVal] = y[perm[i]];
      }
    }
    if (java.util.Arrays.stream(yFit).distinct().count() < 2) {
      return GbdtClassifier.fit(x, y, GbdtParams.defaults(), seed);
    }
    Random rnd = new Random(SeededRandom.of(seed, 2).nextLong());
    GbdtParams best = null;
    double bestError = Double.POSITIVE_INFINITY;
    for (int t = 0; t < trials; t++) {
      GbdtParams p = t == 0 ? GbdtParams.defaults() : GbdtParams.random(rnd);
      double err = GbdtClassifier.fit(xFit, yFit, p, seed + t).error(xVal, yVal);
      if (err < bestError) {
        bestError = err;
        best = p;
      }
    }
    return GbdtClassifier.fit(x, y, best, seed);
  }
}
