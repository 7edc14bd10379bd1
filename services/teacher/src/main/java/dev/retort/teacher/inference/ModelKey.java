package dev.retort.teacher.inference;

import java.util.Objects;

/**
 * Identifies one loaded teacher: the reference it was loaded from and the head it needs.
 *
 * @param ref a model reference ({@code maven:}, {@code hf-dir:}, an alias, {@code preset:}) or
 *     {@code checkpoint:<path in the artifact store>}
 * @param numLabels C of the head (1 for regression)
 * @param regression whether the head predicts one real value
 * @param domain the head index a multi-domain teacher uses for this pass
 */
public record ModelKey(String ref, int numLabels, boolean regression, int domain) {

  /** Checks the values. */
  public ModelKey {
    Objects.requireNonNull(ref, "ref");
    if (numLabels < 1) {
      throw new IllegalArgumentException("numLabels must be positive: " + numLabels);
    }
    if (domain < 0) {
      throw new IllegalArgumentException("domain must not be negative: " + domain);
    }
  }
}
