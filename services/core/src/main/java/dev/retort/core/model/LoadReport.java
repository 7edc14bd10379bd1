package dev.retort.core.model;

import java.util.List;

/**
 * What a load did, in the spirit of Hugging Face's "some weights were newly initialised" warning.
 *
 * @param loaded parameters copied from the checkpoint
 * @param freshlyInitialized parameters the checkpoint lacked (allowed by the policy)
 * @param unused checkpoint tensors the model has no parameter for (allowed by the policy)
 */
public record LoadReport(List<String> loaded, List<String> freshlyInitialized, List<String> unused) {
  /** Copies the lists. */
  public LoadReport {
    loaded = List.copyOf(loaded);
    freshlyInitialized = List.copyOf(freshlyInitialized);
    unused = List.copyOf(unused);
  }
}
