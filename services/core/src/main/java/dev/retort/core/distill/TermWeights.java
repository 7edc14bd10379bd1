package dev.retort.core.distill;

/**
 * Weights of the loss terms of layer-wise methods, read from the job file ({@code
 * distill.weights}): {@code L = emb·L_emb + hid·Σ L_hid + att·Σ L_att + pred·L_pred}.
 *
 * @param emb weight of the embedding term
 * @param hid weight of the summed hidden-state (or patient) terms
 * @param att weight of the summed attention terms
 * @param pred weight of the prediction loss
 */
public record TermWeights(double emb, double hid, double att, double pred) {
  /** All ones, as TinyBERT sums its terms. */
  public static final TermWeights ONES = new TermWeights(1, 1, 1, 1);

  /** Checks that the weights are finite and non-negative. */
  public TermWeights {
    for (double w : new double[] {emb, hid, att, pred}) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("loss weights must be finite and non-negative: " + w);
      }
    }
  }
}
