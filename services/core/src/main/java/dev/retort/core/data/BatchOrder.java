package dev.retort.core.data;

/** How a {@link Batcher} groups examples into batches and orders them. */
public enum BatchOrder {
  /**
   * Batches are formed once per data set (seeded shuffle, then sort by length within chunks, then
   * cut), so each batch holds examples of similar length; each epoch visits the batches in a seeded
   * order of (seed, epoch).
   */
  FIXED_BATCHES,
  /** Examples are reshuffled every epoch from (seed, epoch) and cut into batches. */
  RESHUFFLE_EACH_EPOCH,
  /** Examples in data-set order, every epoch the same (evaluation). */
  SEQUENTIAL
}
