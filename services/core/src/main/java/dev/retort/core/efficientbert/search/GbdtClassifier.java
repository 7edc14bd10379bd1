package dev.retort.core.efficientbert.search;

import java.util.Arrays;
import smile.classification.GradientTreeBoost;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.data.vector.IntVector;
import smile.math.MathEx;

/**
 * A binary classifier over candidate feature vectors: Smile's gradient-boosted trees (the reference
 * uses LightGBM), or a constant when the training labels hold one class only.
 *
 * <p>Features are the numeric ids of {@link SearchSpace#features}, treated as ordered numbers as
 * LightGBM treats them in the reference. Fitting draws subsamples from Smile's generator, which
 * {@link #fit} seeds on the calling thread, so a fit is reproducible.
 */
public final class GbdtClassifier {
  private static final String LABEL = "y";

  private final GradientTreeBoost model;
  private final StructType schema;
  private final int constant;

  private GbdtClassifier(GradientTreeBoost model, StructType schema, int constant) {
    this.model = model;
    this.schema = schema;
    this.constant = constant;
  }

  /**
   * Fits a classifier.
   *
   * @param x feature vectors, all of the same length // [n, d]
   * @param y labels 0 or 1 // [n]
   * @param params the hyper-parameters
   * @param seed seeds Smile's generator for the subsamples
   * @return the classifier; a constant one if {@code y} holds one class
   */
  public static GbdtClassifier fit(double[][] x, int[] y, GbdtParams params, long seed) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException(
          "need as many labels as feature vectors, and at least one");
    }
    boolean hasZero = Arrays.stream(y).anyMatch(v -> v == 0);
    boolean hasOne = Arrays.stream(y).anyMatch(v -> v == 1);
    if (!hasZero || !hasOne) {
      return new GbdtClassifier(null, null, hasOne ? 1 : 0);
    }
    String[] names = new String[x[0].length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "f" + i;
    }
    DataFrame features = DataFrame.of(x, names);
    DataFrame data = features.merge(IntVector.of(LABEL, y));
    MathEx.setSeed(seed);
    GradientTreeBoost model =
        GradientTreeBoost.fit(
            Formula.lhs(LABEL),
            data,
            params.trees(),
            params.maxDepth(),
            params.maxNodes(),
            params.nodeSize(),
            params.shrinkage(),
            params.subsample());
    return new GbdtClassifier(model, features.schema(), -1);
  }

  /**
   * Predicts the class of one feature vector.
   *
   * @param x the features // [d]
   * @return 0 or 1
   */
  public int predict(double[] x) {
    if (model == null) {
      return constant;
    }
    return model.predict(Tuple.of(x, schema));
  }

  /**
   * Returns the fraction of wrong predictions.
   *
   * @param x feature vectors // [n, d]
   * @param y labels // [n]
   * @return the error in [0, 1]; 0 for no samples
   */
  public double error(double[][] x, int[] y) {
    if (x.length == 0) {
      return 0;
    }
    int wrong = 0;
    for (int i = 0; i < x.length; i++) {
      if (predict(x[i]) != y[i]) {
        wrong++;
      }
    }
    return wrong / (double) x.length;
  }
}
