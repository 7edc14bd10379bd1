package dev.retort.core.efficientbert.search;

import java.util.List;

/**
 * Everything a stopped search needs to go on exactly where it stopped, written as JSON after every
 * evaluated candidate.
 *
 * <p>No random-generator state is kept: candidate i draws from a generator derived from (seed,
 * stage, i), and the learned sampler refits its tree from the history, so the history determines
 * every later proposal.
 *
 * @param version the file format version, {@link #VERSION}
 * @param stage the search stage, 1 to 3
 * @param seed the search seed
 * @param fingerprint the space, sampler and evaluator settings the history was produced with
 * @param supernetCheckpoint the supernet weights candidates inherit from (stage 3: the shared
 *     weights trained for the stage), or null
 * @param history every evaluated candidate, in evaluation order
 */
public record SearchState(
    int version,
    int stage,
    long seed,
    String fingerprint,
    String supernetCheckpoint,
    List<EvaluatedCandidate> history) {

  /** The current file format version. */
  public static final int VERSION = 1;

  /** Copies the history. */
  public SearchState {
    history = List.copyOf(history);
  }

  /**
   * Returns a copy with one more evaluated candidate.
   *
   * @param c the candidate
   * @return the new state
   */
  public SearchState with(EvaluatedCandidate c) {
    List<EvaluatedCandidate> h = new java.util.ArrayList<>(history);
    h.add(c);
    return new SearchState(version, stage, seed, fingerprint, supernetCheckpoint, h);
  }
}
