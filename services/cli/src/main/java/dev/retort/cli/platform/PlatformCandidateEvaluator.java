package dev.retort.cli.platform;

import dev.retort.core.efficientbert.search.CandidateCancelledException;
import dev.retort.core.efficientbert.search.CandidateEvaluator;
import dev.retort.core.efficientbert.search.CandidateSpec;
import dev.retort.core.efficientbert.search.Fitness;
import dev.retort.core.efficientbert.search.KdProtocol;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores search candidates on the distributed platform: each candidate becomes a distill job
 * ({@link CandidateJobs}) published to the requests topic; a trainer replica trains it and
 * publishes its finished event, whose summary carries the student's dev metric (candidate jobs do
 * not score the test split), the fitness. Thread-safe: the controller keeps {@code
 * search.parallel} candidates in flight, so as many trainer replicas work through a population.
 *
 * <p>A candidate whose job the platform already knows (a restarted search re-evaluating its
 * pending population) is not sent again: the evaluator re-attaches to the job's events, which the
 * {@link JobWatch} reads from the beginning of the topic.
 *
 * <p>Candidates train as in-process ones do: weights sliced from the warmed-up supernet, the short
 * pre-training KD ({@code search.pretrain-steps}, run by the trainer with the pre-trained encoder
 * loaded there), then downstream KD with teacher outputs from the teacher service.
 */
public final class PlatformCandidateEvaluator implements CandidateEvaluator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformCandidateEvaluator.class);

  private final PlatformClient client;
  private final JobWatch watch;
  private final Map<String, Object> search;
  private final String name;
  private final String supernet;
  private final KdProtocol protocol;
  private final Duration timeout;
  private final BooleanSupplier cancelled;

  /**
   * Creates the evaluator and starts watching the job events.
   *
   * @param client the platform connection (not closed by this evaluator)
   * @param search the search job's explicit keys
   * @param name the search's name (job ids derive from it)
   * @param supernet {@code student.supernet} of every candidate job, as trainers resolve it
   * @param protocol the candidates' training budget
   * @param timeout the longest wait for one candidate
   * @param cancelled stops waiting (the candidate is evaluated again on resume)
   */
  public PlatformCandidateEvaluator(
      PlatformClient client, Map<String, Object> search, String name, String supernet, KdProtocol protocol,
      Duration timeout, BooleanSupplier cancelled) {
    this.client = client;
    this.search = search;
    this.name = name;
    this.supernet = supernet;
    this.protocol = protocol;
    this.timeout = timeout;
    this.cancelled = cancelled;
    this.watch = new JobWatch(client);
  }

  /** {@inheritDoc} */
  @Override
  public Fitness evaluate(CandidateSpec spec) {
    long t0 = System.nanoTime();
    Map<String, Object> job = CandidateJobs.job(search, spec, supernet, protocol);
    String id = CandidateJobs.jobId(name, spec, job);
    if (watch.known(id)) {
      LOG.info("Candidate {}: re-attaching to job {}", spec.index(), id);
    } else {
      client.submitNew(id, job); // not known to the platform: spread over the trainer replicas
      LOG.info("Candidate {}: sent as job {}", spec.index(), id);
    }
    Optional<JobEvent> end;
    try {
      end = watch.await(id, timeout, cancelled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CandidateCancelledException(spec.index());
    }
    if (end.isEmpty()) {
      if (cancelled.getAsBoolean()) {
        throw new CandidateCancelledException(spec.index());
      }
      throw new IllegalStateException("job " + id + " did not end within " + timeout.toMinutes() + " minutes: is a trainer running?");
    }
    JobEvent e = end.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return switch (e.getKindCase()) {
      case FINISHED -> fitness(id, e.getFinished().getSummary(), seconds);
      case FAILED -> throw new IllegalStateException("job " + id + " failed: " + e.getFailed().getReason());
      case REJECTED -> throw new IllegalStateException("job " + id + " was rejected: " + e.getRejected().getWhere()
          + " " + e.getRejected().getReason());
      default -> throw new IllegalStateException("job " + id + " was cancelled");
    };
  }

  /**
   * Returns the fitness a finished candidate job reports: its student's dev value. A value on the
   * test split is refused, so that a search never selects on test (candidate jobs set {@code
   * task.evaluate-test: false}; an evaluator older than the summary's split sends none).
   *
   * @param jobId the candidate's job
   * @param s the summary of its finished event
   * @param seconds how long the job took
   * @return the fitness
   * @throws IllegalStateException when the summary's values come from the test split
   */
  static Fitness fitness(String jobId, SummaryTable s, double seconds) {
    if (s.getSplit().equals("test")) {
      throw new IllegalStateException("job " + jobId + " reported its student on the test split;"
          + " a search's fitness must come from dev: check that the job kept task.evaluate-test: false");
    }
    return Fitness.ok(s.getStudentValue(), s.getStudentParameters(), seconds);
  }

  /** {@inheritDoc} */
  @Override
  public String describe() {
    return "platform pretrain-kd steps=" + protocol.pretrainSteps() + " lr=" + protocol.pretrainLr()
        + ", downstream-kd steps=" + protocol.steps() + " batch=" + protocol.batchSize() + " lr=" + protocol.lr()
        + " eval-every=" + protocol.evalEvery() + " supernet=" + supernet;
  }

  /** Stops watching the events. */
  @Override
  public void close() {
    watch.close();
  }
}
