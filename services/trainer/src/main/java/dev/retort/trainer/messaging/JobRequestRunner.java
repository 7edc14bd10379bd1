package dev.retort.trainer.messaging;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.messaging.DeadLetters;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.Topics;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.TrainingRequest;
import dev.retort.trainer.job.EventPublisher;
import dev.retort.trainer.job.JobExecutor;
import dev.retort.trainer.job.JobFailures;
import dev.retort.trainer.job.JobLock;
import dev.retort.trainer.job.JobState;
import dev.retort.trainer.metrics.TrainerMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's consumer loop over {@value Topics#JOB_REQUESTS} (the KafkaConsumerRunner pattern).
 *
 * <p>One job at a time per replica: the loop fetches a bounded number of requests ({@link
 * PendingRequests}, oldest first), decodes and validates each (bad input is dead-lettered with a
 * rejected event), skips a job id that already ran, and otherwise runs the job on a worker thread
 * while it keeps polling with every partition paused, so that the group never sees the replica as
 * dead however long a step takes. The request's offset is committed only when
 * the job reaches a terminal state: a replica killed mid-job leaves it uncommitted, and the replica
 * that receives it next resumes the job from its checkpoints. A partition revoked while its job runs
 * cancels the job gracefully (it checkpoints) for the same reason.
 *
 * <p>A request whose job's lock ({@link JobLock}) is held is never committed either: the holder is
 * a replica that runs the job (a request delivered twice, or a replica the group dropped that
 * still runs), or one that died, whose lock the system drops (at once on a local disk, when the
 * lock's lease expires on NFS). The request is put back and tried again after {@link
 * #RETRY_START}, holding only its own partition: once the lock is free it either finds the job
 * ended (and is committed as a repeat) or takes the job and resumes it.
 *
 * <p>A rejected request is committed only once the broker has taken its dead letter; if it does
 * not within {@link #DEAD_LETTER_TIMEOUT}, the request is put back and rejected again on its next
 * try, so a refused dead letter does not lose it.
 *
 * <p>Nothing but shutdown ends the loop: a request whose validation fails unexpectedly is rejected
 * like any invalid one, a request that cannot be started (the artifact store cannot be written) is
 * tried again after {@link #RETRY_START} and its job's watchers are told why it waits ({@link
 * RequestWaits}), a failed commit is tried again on the next poll ({@link
 * OffsetCommits}), and any other failure of a loop is logged and the next one polls after a pause
 * ({@link Backoff}: one poll timeout, doubling up to {@link #MAX_BACKOFF}, and back to one poll
 * timeout after a loop that succeeds), so that a poll that fails at once every time (the broker
 * refuses this consumer) neither spins nor floods the log.
 */
public final class JobRequestRunner implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRequestRunner.class);

  /** The worker's result for a request whose job's lock another process holds. */
  private static final String LOCKED = "locked";
  /** How long a request that could not be started, or whose job is locked, waits before it is tried again. */
  static final Duration RETRY_START = Duration.ofSeconds(10);
  /** How long a rejected request's dead letter may take to be acknowledged before it is tried again. */
  static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);
  /** The longest pause after failed loops (liveness reports a loop that has not polled for 60 s). */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** The shortest pause after a failed loop, for a poll timeout of zero. */
  private static final Duration MIN_BACKOFF = Duration.ofMillis(10);

  private final Consumer<String, byte[]> consumer;
  private final OffsetCommits commits;
  private final JobExecutor executor;
  private final EventPublisher events;
  private final DeadLetters deadLetters;
  private final Cancellations control;
  private final TrainerMetrics metrics;
  private final Duration pollTimeout;
  private final Duration retryStart;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "job-worker"));
  private final AtomicLong lastPoll = new AtomicLong(System.currentTimeMillis());
  private final Backoff backoff;
  /** Counted down by {@link #close()}, so that a pause after a failed loop ends at once. */
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean suspend;
  /** When the pending requests may be started again after one could not be ({@link #RETRY_START}). */
  private long startAfter;
  private Running current;
  private final PendingRequests pending = new PendingRequests(16);
  private final RequestWaits waits;

  private record Running(ConsumerRecord<String, byte[]> record, String jobId, Future<String> result) {}

  /**
   * Creates the loop (call {@link #start()}).
   *
   * @param consumer a group consumer with manual commits
   * @param executor runs jobs
   * @param events publishes job events
   * @param deadLetters sets bad requests aside
   * @param control cancellations
   * @param metrics the trainer's metrics
   * @param pollTimeout how long one poll waits
   */
  public JobRequestRunner(
      Consumer<String, byte[]> consumer, JobExecutor executor, EventPublisher events, DeadLetters deadLetters,
      Cancellations control, TrainerMetrics metrics, Duration pollTimeout) {
    this(consumer, executor, events, deadLetters, control, metrics, pollTimeout, RETRY_START);
  }

  /** As the public constructor, with the wait before a request is tried again (tests shorten it). */
  JobRequestRunner(
      Consumer<String, byte[]> consumer, JobExecutor executor, EventPublisher events, DeadLetters deadLetters,
      Cancellations control, TrainerMetrics metrics, Duration pollTimeout, Duration retryStart) {
    this.consumer = consumer;
    this.commits = new OffsetCommits(consumer);
    this.executor = executor;
    this.events = events;
    this.deadLetters = deadLetters;
    this.control = control;
    this.metrics = metrics;
    this.pollTimeout = pollTimeout;
    this.retryStart = retryStart;
    this.waits = new RequestWaits(events, metrics, executor.root(), retryStart);
    this.backoff = new Backoff(pollTimeout.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : pollTimeout, MAX_BACKOFF);
    this.thread = new Thread(this, "job-requests");
  }

  /** Starts the loop's thread. */
  public void start() {
    consumer.subscribe(java.util.List.of(Topics.JOB_REQUESTS), new Rebalance());
    thread.start();
  }

  /** Returns milliseconds since the loop last polled (liveness). */
  public long millisSinceLastPoll() {
    return System.currentTimeMillis() - lastPoll.get();
  }

  /** Returns whether the loop's thread is alive. */
  public boolean alive() {
    return thread.isAlive();
  }

  /** Returns the id of the job running now, or null. */
  public String runningJob() {
    Running r = current;
    return r == null ? null : r.jobId();
  }

  @Override
  public void run() {
    try {
      while (running) {
        try {
          once();
          backoff.reset();
        } catch (WakeupException e) {
          // shutting down (close() sets running first)
        } catch (RuntimeException e) {
          Duration pause = backoff.next();
          LOG.error("a loop over the job requests failed; the loop polls again in {} s", RequestWaits.seconds(pause), e);
          pause(pause);
        }
      }
    } finally {
      suspendRunningJob();
      worker.shutdownNow();
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void once() {
    var records = consumer.poll(pollTimeout);
    lastPoll.set(System.currentTimeMillis());
    records.forEach(pending::add);
    commits.retry();
    finishIfDone();
    // Start the oldest pending request when idle; requests that only need a rejection or are
    // repeats are handled at once and the next one is looked at. Nothing starts before the cancels
    // published while this replica was down have been read.
    while (current == null && control.caughtUp() && System.currentTimeMillis() >= startAfter) {
      var next = pending.next(System.currentTimeMillis());
      if (next.isEmpty()) {
        break;
      }
      start(next.get());
    }
    // Fetch more only while there is room: the rest of the queue stays in Kafka.
    if (pending.full()) {
      consumer.pause(consumer.assignment());
    } else {
      consumer.resume(consumer.paused());
    }
  }

  /**
   * Handles a request; one that fails for a reason other than the request itself (the artifact
   * store or the broker) goes back to the head of its queue and is tried again later.
   */
  private void start(ConsumerRecord<String, byte[]> r) {
    try {
      handle(r);
      if (current == null || current.record() != r) {
        waits.handled(r); // rejected or a repeat; a started one waits no more once it ended
      }
    } catch (WakeupException e) {
      pending.putBack(r);
      throw e;
    } catch (RuntimeException e) {
      waits.startFailed(r, e);
      pending.putBack(r);
      startAfter = System.currentTimeMillis() + retryStart.toMillis();
    }
  }

  private void handle(ConsumerRecord<String, byte[]> r) {
    Decoded<TrainingRequest> d = TrainingRequests.decode(r.value());
    if (!d.isOk()) {
      // The key of an undecodable record is not trusted as a job id: no event, no state.
      reject(r, null, "the message", d.reason(), "Publish a TrainingRequest as binary protobuf or protobuf-JSON");
      return;
    }
    TrainingRequest request = d.value();
    String id = request.getJobId();
    ConfigValues job;
    try {
      job = executor.validate(request);
    } catch (RetortException e) {
      reject(r, id, e.where(), e.what(), e.fix());
      return;
    } catch (RuntimeException e) {
      // A request that makes validation itself fail would fail again on every delivery: it is
      // set aside like an invalid one, with the error, rather than retried for ever.
      LOG.error("validating the request at {}-{}@{} failed unexpectedly", r.topic(), r.partition(), r.offset(), e);
      reject(r, id, "request " + id, "validating the job failed unexpectedly: " + e,
          "Check the job against the documented keys and values; if it looks right, report this"
              + " with the trainer's log for job " + id + ". The request is kept on " + Topics.DEAD_LETTERS);
      return;
    }
    var status = JobState.status(executor.jobDir(id));
    if (status.isPresent() && (JobState.TERMINAL.contains(status.get()) || status.get().equals("trained"))) {
      LOG.info("job {} already {}: ignoring the repeated request at {}-{}@{}", id, status.get(), r.topic(), r.partition(), r.offset());
      commit(r);
      return;
    }
    if (status.isEmpty()) {
      JobState.write(executor.jobDir(id), "accepted", "", "");
      events.publish(events.events().accepted(id, request.getJob(), 0));
    }
    suspend = false;
    current = new Running(r, id, worker.submit(() -> {
      // Another process holds the job's lock: a replica running it, or one that died whose lock
      // is not released yet. The request waits (see the class comment).
      Optional<JobLock> lock = JobLock.tryAcquire(executor.jobDir(id));
      if (lock.isEmpty()) {
        return LOCKED;
      }
      try (JobLock held = lock.get()) {
        return executor.run(request, job, () -> control.isCancelled(id), () -> suspend);
      }
    }));
  }

  private void reject(ConsumerRecord<String, byte[]> r, String jobId, String where, String what, String fix) {
    String reason = (where == null || where.isEmpty() ? "" : where + ": ") + what;
    LOG.warn("rejected request at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
    awaitDeadLetter(r, reason);
    metrics.deadLetter(r.topic());
    metrics.rejected();
    if (jobId != null && TrainingRequests.JOB_ID.matcher(jobId).matches()) {
      events.publish(events.events().rejected(jobId, where, what, fix));
      if (JobState.status(executor.jobDir(jobId)).isEmpty()) {
        JobState.write(executor.jobDir(jobId), "rejected", "", reason); // never overwrite a real job's state
      }
    }
    commit(r);
  }

  /**
   * Publishes a rejected request's dead letter and waits for the broker to take it: the request is
   * committed only then, so that a dead letter the broker refuses does not lose the request. A
   * failure throws, and {@link #start} puts the request back to be tried again.
   */
  private void awaitDeadLetter(ConsumerRecord<String, byte[]> r, String reason) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    try {
      deadLetters.publish(r, reason).get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the broker did not take the dead letter of the rejected request at " + where
          + " (" + cause + "); the request stays uncommitted and is rejected again on its next try", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the dead letter of " + where + " was sent", e);
    }
  }

  private void finishIfDone() {
    Running r = current;
    if (r == null || !r.result().isDone()) {
      return;
    }
    String status;
    try {
      status = r.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      // The job ended before the executor could say how (its lock, say): failed, and said so.
      String reason = JobFailures.reason(e.getCause(), null);
      LOG.error("job {} failed: {}", r.jobId(), reason, e.getCause());
      events.publish(events.events().failed(r.jobId(), reason, "student/checkpoints"));
      JobState.write(executor.jobDir(r.jobId()), "failed", "", reason);
      status = "failed";
    }
    if (LOCKED.equals(status)) {
      waits.locked(r.record(), r.jobId());
      current = null;
      pending.putBack(r.record(), System.currentTimeMillis() + retryStart.toMillis());
      return;
    }
    LOG.info("job {} ended: {}", r.jobId(), status);
    waits.handled(r.record());
    control.clear(r.jobId());
    current = null;
    if (!"suspended".equals(status)) {
      commit(r.record());
    }
  }

  /** Waits after a failed loop, or less if the runner is closed meanwhile. */
  private void pause(Duration d) {
    try {
      closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Nothing but a shutdown interrupts this thread; polling on would fail at once, every time.
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void commit(ConsumerRecord<String, byte[]> r) {
    commits.commit(r);
  }

  /** Stops the running job at its next step without ending it: it checkpoints and stays uncommitted. */
  private void suspendRunningJob() {
    Running r = current;
    if (r != null) {
      suspend = true;
      try {
        r.result().get();
      } catch (Exception ignored) {
        // suspended: it checkpointed; the request stays uncommitted for whoever comes next
      }
      current = null;
    }
  }

  /** Cancels the running job if its partition is taken away, and never commits for it. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      pending.drop(partitions);
      commits.drop(partitions);
      Running r = current;
      if (r != null && partitions.contains(new TopicPartition(r.record().topic(), r.record().partition()))) {
        LOG.info("partition of job {} revoked: suspending it at its next step", r.jobId());
        suspendRunningJob();
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (pending.full()) {
        consumer.pause(partitions);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    closing.countDown();
    consumer.wakeup();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
