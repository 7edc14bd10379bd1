package dev.retort.core.model;

import java.util.List;

/**
 * How strictly a state dict must match a model when loading.
 *
 * @param mayBeMissing name prefixes the checkpoint may lack (they keep their fresh initial
 *     values), e.g. {@code classifier.} when a pretrained encoder gets a new head
 * @param allowUnused whether tensors the model does not have (an MLM head, say) are skipped
 *     instead of being an error
 */
public record LoadPolicy(List<String> mayBeMissing, boolean allowUnused) {
  /** Every parameter must be present, and nothing else: resuming, exact round trips. */
  public static final LoadPolicy STRICT = new LoadPolicy(List.of(), false);

  /**
   * A pretrained encoder under a new head: heads, pooler and projections may be missing, extra
   * tensors (MLM head) are skipped.
   */
  public static final LoadPolicy PRETRAINED_ENCODER =
      new LoadPolicy(List.of("classifier.", "classifiers.", "bert.pooler.", "pooler.", "cls."), true);

  /** Copies the list. */
  public LoadPolicy {
    mayBeMissing = List.copyOf(mayBeMissing);
  }

  /** Returns whether {@code name} may be absent from the checkpoint. */
  public boolean mayBeMissing(String name) {
    return mayBeMissing.stream().anyMatch(name::startsWith);
  }
}
