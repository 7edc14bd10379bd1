package dev.retort.core.data;

import dev.retort.core.text.EncodedExample;
import java.util.ArrayList;
import java.util.List;

/** Synthetic encoded data sets for batching tests; no tokenizer needed. */
final class EncodedFixtures {
  static final int PAD = 0;

  private EncodedFixtures() {}

  /**
   * Returns N examples; example i has length {@code lengths[i]}, ids {@code 1000 * i + position},
   * label {@code i % 2} and the given domain id.
   */
  static EncodedDataset dataset(String name, int domainId, int... lengths) {
    List<EncodedExample> inputs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int n = lengths.length;
    int[] labels = new int[n];
    int[] domains = new int[n];
    for (int i = 0; i < n; i++) {
      int[] tokenIds = new int[lengths[i]];
      for (int p = 0; p < lengths[i]; p++) {
        tokenIds[p] = 1000 * i + p + 1;
      }
      inputs.add(new EncodedExample(tokenIds, new int[lengths[i]], lengths[i]));
      ids.add(name + "-" + i);
      labels[i] = i % 2;
      domains[i] = domainId;
    }
    return new EncodedDataset(
        name, TaskType.CLASSIFICATION, inputs, labels, null, domains, ids, PAD);
  }

  /** Returns N examples with lengths cycling through 3..60 in a scrambled order. */
  static EncodedDataset varied(String name, int domainId, int n) {
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = 3 + (int) ((i * 37L + 11) % 58);
    }
    return dataset(name, domainId, lengths);
  }
}
