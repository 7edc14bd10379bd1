package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.data.SeededRandom;
import dev.retort.core.efficientbert.Expr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of the search: proposes candidates, has them evaluated, keeps the hall of fame and
 * persists the state after every candidate, so that a stopped search resumes where it stopped.
 *
 * <p>Candidate i is the i-th of the initial candidates if there are that many, otherwise the
 * sampler's proposal with a random source derived from (seed, stage, i); its evaluation seed comes
 * from the same triple. A resumed search therefore proposes and scores exactly what an
 * uninterrupted one would, provided the evaluator is deterministic. The evaluator is any {@link
 * CandidateEvaluator}: in-process training, or a dispatcher that sends the spec to a worker.
 *
 * <p>Candidates are evaluated in populations of {@code parallel} (default 1): the members are
 * proposed from the same history, evaluated concurrently (N trainer replicas work through a
 * population on the platform) and recorded in index order. The population in flight is persisted
 * as {@link SearchState#pending()} before it is evaluated; a resumed search evaluates exactly those
 * candidates first, so a remote evaluator re-attaches to their jobs.
 *
 * <p>A candidate whose evaluation throws or returns a non-finite value gets fitness 0 and is
 * logged, as in the reference. The run stops when the candidate budget is used up, when the wall
 * time limit of this run is reached (checked before each candidate), when cancelled (before a
 * candidate, or during one whose evaluator throws {@link CandidateCancelledException}: that
 * candidate is not recorded), or when the sampler finds no new candidate.
 */
public final class SearchController {
  private static final Logger LOG = LoggerFactory.getLogger(SearchController.class);
  private static final long EVALUATION_STREAM = 7919;

  private final SearchSpace space;
  private final CandidateSampler sampler;
  private final CandidateEvaluator evaluator;
  private final SearchStateStore store;
  private final long seed;
  private final int candidates;
  private final Duration timeLimit;
  private final int hallOfFameSize;
  private final List<List<Expr>> initial;
  private final String supernetCheckpoint;
  private final String evaluatorInfo;
  private final BooleanSupplier cancelled;
  private final Consumer<EvaluatedCandidate> onCandidate;
  private final int parallel;
  private final PopulationEvaluation population;

  private SearchController(Builder b) {
    this.space = b.space;
    this.sampler = b.sampler;
    this.evaluator = b.evaluator;
    this.store = new SearchStateStore(b.stateFile);
    this.seed = b.seed;
    this.candidates = b.candidates;
    this.timeLimit = b.timeLimit;
    this.hallOfFameSize = b.hallOfFameSize;
    this.initial = List.copyOf(b.initial);
    this.supernetCheckpoint = b.supernetCheckpoint;
    this.evaluatorInfo = b.evaluatorInfo;
    this.cancelled = b.cancelled;
    this.onCandidate = b.onCandidate;
    this.parallel = b.parallel;
    this.population = new PopulationEvaluation(b.evaluator, b.space);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the fingerprint a state file must carry to be resumed by this controller. */
  public String fingerprint() {
    return space.describe()
        + " | "
        + sampler.describe()
        + " | "
        + evaluatorInfo
        + " | initial="
        + initial;
  }

  /**
   * Runs the search until a stop condition, resuming from the state file if it exists.
   *
   * @return the hall of fame and progress
   * @throws RetortException if the state file belongs to a different search
   * @throws UncheckedIOException if the state file cannot be written
   */
  public SearchResult run() {
    int stage = space.stage().number();
    SearchState state =
        store
            .read()
            .orElse(
                new SearchState(
                    SearchState.VERSION,
                    stage,
                    seed,
                    fingerprint(),
                    supernetCheckpoint,
                    List.of(),
                    List.of()));
    check(state);
    List<EvaluatedCandidate> history = new ArrayList<>(state.history());
    Set<String> seen = new HashSet<>();
    history.forEach(c -> seen.add(c.key()));
    if (!history.isEmpty() || !state.pending().isEmpty()) {
      LOG.info(
          "Resuming search stage {} at candidate {} of {} ({} in flight)",
          stage, history.size(), candidates, state.pending().size());
    }
    long start = System.nanoTime();
    while (history.size() < candidates) {
      if (cancelled.getAsBoolean()) {
        LOG.info("Search cancelled after {} candidates", history.size());
        break;
      }
      if (timeLimit != null && System.nanoTime() - start >= timeLimit.toNanos()) {
        LOG.info("Search time limit {} reached after {} candidates", timeLimit, history.size());
        break;
      }
      // A population in flight when the last run stopped is re-evaluated as it was, alone, so
      // that the next population starts where an uninterrupted run's would.
      List<CandidateSpec> wave = new ArrayList<>(state.pending());
      boolean exhausted = wave.isEmpty() && !propose(wave, history, seen);
      if (wave.isEmpty()) {
        LOG.warn("No new candidate could be found after {} candidates; stopping", history.size());
        break;
      }
      state = write(state.withPending(wave));
      List<Fitness> results = population.evaluate(wave);
      boolean stop = false;
      for (int i = 0; i < wave.size(); i++) {
        CandidateSpec spec = wave.get(i);
        if (results.get(i) == null) {
          LOG.info("Search cancelled during candidate {}; it is evaluated again on resume", spec.index());
          stop = true;
          break;
        }
        EvaluatedCandidate done = new EvaluatedCandidate(spec, results.get(i), space.key(spec.layers()));
        history.add(done);
        seen.add(done.key());
        state = write(state.with(done));
        LOG.info(
            "Candidate {}: fitness {}{} ({} parameters, {} s): {}",
            spec.index(),
            done.value(),
            done.fitness().failed() ? " (failed: " + done.fitness().error() + ")" : "",
            done.fitness().parameters(),
            String.format("%.1f", done.fitness().seconds()),
            String.join(" | ", spec.expressions()));
        onCandidate.accept(done);
      }
      if (stop || exhausted) {
        break;
      }
    }
    return new SearchResult(
        stage,
        HallOfFame.top(history, hallOfFameSize),
        history.size(),
        history.size() >= candidates);
  }

  /**
   * Proposes the next population: up to {@code parallel} candidates, each from the history so far
   * and a random source derived from (seed, stage, index), none a duplicate of another.
   *
   * @return false if the sampler found no new candidate (the population may still hold some)
   */
  private boolean propose(List<CandidateSpec> wave, List<EvaluatedCandidate> history, Set<String> seen) {
    int stage = space.stage().number();
    Set<String> taken = new HashSet<>(seen);
    int index = history.size();
    while (wave.size() < parallel && index < candidates) {
      Random rnd = new Random(SeededRandom.of(seed, stage, index).nextLong());
      Optional<List<Expr>> next =
          index < initial.size()
              ? Optional.of(initial.get(index))
              : sampler.propose(List.copyOf(history), taken, rnd);
      if (next.isEmpty()) {
        return false;
      }
      long evalSeed = SeededRandom.of(seed, stage, index, EVALUATION_STREAM).nextLong();
      wave.add(CandidateSpec.of(index, stage, next.get(), evalSeed));
      taken.add(space.key(next.get()));
      index++;
    }
    return true;
  }



  private SearchState write(SearchState s) {
    try {
      store.write(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the search state " + store.file(), e);
    }
    return s;
  }


  private void check(SearchState state) {
    if (state.stage() != space.stage().number()
        || state.seed() != seed
        || !state.fingerprint().equals(fingerprint())) {
      throw new RetortException(
          store.file().toString(),
          "the state file belongs to a different search (stage "
              + state.stage()
              + ", seed "
              + state.seed()
              + ", settings "
              + state.fingerprint()
              + ")",
          "Resume with the settings that started it, or use another output directory to start a"
              + " new search");
    }
  }

  /** Builds a {@link SearchController}. */
  public static final class Builder {
    private SearchSpace space;
    private CandidateSampler sampler;
    private CandidateEvaluator evaluator;
    private java.nio.file.Path stateFile;
    private long seed = 42;
    private int candidates = 100;
    private Duration timeLimit;
    private int hallOfFameSize = 10;
    private List<List<Expr>> initial = List.of();
    private String supernetCheckpoint;
    private String evaluatorInfo = "";
    private BooleanSupplier cancelled = () -> false;
    private Consumer<EvaluatedCandidate> onCandidate = c -> {};
    private int parallel = 1;

    private Builder() {}

    /** Sets the search space (required). */
    public Builder setSpace(SearchSpace s) {
      this.space = s;
      return this;
    }

    /** Sets the sampler (required). */
    public Builder setSampler(CandidateSampler s) {
      this.sampler = s;
      return this;
    }

    /** Sets the evaluator (required). */
    public Builder setEvaluator(CandidateEvaluator e) {
      this.evaluator = e;
      return this;
    }

    /** Sets the state file (required). */
    public Builder setStateFile(java.nio.file.Path f) {
      this.stateFile = f;
      return this;
    }

    /** Sets the search seed (default 42). */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /** Sets the total number of candidates, over all runs of this search (default 100). */
    public Builder optCandidates(int n) {
      this.candidates = n;
      return this;
    }

    /** Sets the wall time after which this run starts no new candidate (default none). */
    public Builder optTimeLimit(Duration d) {
      this.timeLimit = d;
      return this;
    }

    /** Sets the hall-of-fame size (default 10). */
    public Builder optHallOfFameSize(int k) {
      this.hallOfFameSize = k;
      return this;
    }

    /** Sets candidates evaluated first, before the sampler (stage 1: the reference's init_expr). */
    public Builder optInitialCandidates(List<List<Expr>> c) {
      this.initial = c;
      return this;
    }

    /** Records the supernet checkpoint the candidates inherit from in the state. */
    public Builder optSupernetCheckpoint(String path) {
      this.supernetCheckpoint = path;
      return this;
    }

    /** Adds the evaluator's settings to the fingerprint a resumed state must match. */
    public Builder optEvaluatorInfo(String info) {
      this.evaluatorInfo = info;
      return this;
    }

    /** Sets the cancellation check, polled before every candidate. */
    public Builder optCancelled(BooleanSupplier c) {
      this.cancelled = c;
      return this;
    }

    /** Sets a callback run after every evaluated candidate (progress, metrics). */
    public Builder optOnCandidate(Consumer<EvaluatedCandidate> c) {
      this.onCandidate = c;
      return this;
    }

    /**
     * Sets how many candidates are evaluated at once (default 1): a population of N candidates is
     * proposed from the same history and evaluated concurrently, so the evaluator must be
     * thread-safe when N &gt; 1.
     *
     * @param n the population size, at least 1
     * @return this builder
     */
    public Builder optParallel(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallel must be at least 1, got " + n);
      }
      this.parallel = n;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the controller
     */
    public SearchController build() {
      if (space == null || sampler == null || evaluator == null || stateFile == null) {
        throw new IllegalStateException(
            "You must set the space, the sampler, the evaluator and the state file");
      }
      if (candidates < 0 || hallOfFameSize < 1) {
        throw new IllegalArgumentException("candidates must be >= 0 and the hall of fame >= 1");
      }
      return new SearchController(this);
    }
  }
}
