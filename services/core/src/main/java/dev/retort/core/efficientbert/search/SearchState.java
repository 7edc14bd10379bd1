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
 * @param pending candidates proposed and handed to the evaluator but not yet recorded (a population
 *     in flight); a resumed search evaluates them first, so a remote evaluator re-attaches to their
 *     jobs (their ids derive from the spec) instead of losing them. Absent in older files: empty.
 */
public record SearchState(
    int version,
    int stage,
    long seed,
    String fingerprint,
    String supernetCheckpoint,
    List<EvaluatedCandidate> history,
    List<CandidateSpec> pending) {

  /** The current file format version. */
  public static final int VERSION = 1;

  /** Copies the history. */
  public SearchState {
    history = List.copyOf(history);
    pending = pending == null ? List.of() : List.copyOf(pending);
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
    List<CandidateSpec> p = new java.util.ArrayList<>(pending);
    p.removeIf(x -> x.index() == c.spec().index());
    return new SearchState(version, stage, seed, fingerprint, supernetCheckpoint, h, p);
  }

  /**
   * Returns a copy whose pending candidates are {@code p}.
   *
   * @param p the candidates in flight
   * @return the new state
   */
  public SearchState withPending(List<CandidateSpec> p) {
    return new SearchState(version, stage, seed, fingerprint, supernetCheckpoint, history, p);
  }
}
