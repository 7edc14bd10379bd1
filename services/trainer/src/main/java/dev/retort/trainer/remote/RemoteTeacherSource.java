package dev.retort.trainer.remote;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.train.StepTimer;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.ChunkFetcher;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.trainer.messaging.TeacherIndexView;
import dev.retort.trainer.messaging.TeacherRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teacher outputs from the teacher service, read from the log.
 *
 * <p>For each batch the source looks the batch up in the teacher index: an output computed before
 * (by an earlier epoch, or by another job of the same pass) is replayed from the outputs topic;
 * otherwise a request is published once and the source waits for the index entry. {@link #prefetch}
 * sends requests ahead of the steps that need them, so the teacher works while the student trains,
 * and starts reading back the announced outputs that are already in the index, and the requested
 * ones as soon as they arrive ({@link ReadAhead}), so the next steps find them fetched and parsed.
 */
public final class RemoteTeacherSource implements TeacherSource {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteTeacherSource.class);
  /**
   * Consecutive requests of a job that share a partition: more than a job announces at its start
   * (its batch and a window of 8 by default), so that the first batches are computed in order.
   */
  private static final int IN_ORDER = 16;

  /**
   * What every request of this source carries.
   *
   * @param jobId the job asking
   * @param passId the teacher pass
   * @param teacherRef how the teacher service loads the teacher
   * @param numLabels the teacher head's classes
   * @param regression whether the head regresses
   * @param domain the head index
   * @param selection what the job needs
   * @param wire the selection as sent (with the wire dtype)
   * @param dropout whether the teacher runs with its dropout on ({@code teacher.dropout})
   */
  public record Spec(
      String jobId, String passId, String teacherRef, int numLabels, boolean regression, int domain,
      TeacherSelection selection, OutputSelection wire, boolean dropout) {}

  private final Spec spec;
  private final Producer<String, byte[]> producer;
  private final TeacherIndexView index;
  private final ReadAhead reads;
  private final TeacherOutputMapper mapper;
  private final Duration timeout;
  private final StepThreads threads;
  private final Set<String> requested = ConcurrentHashMap.newKeySet();
  /** The requested outputs not indexed yet: the teacher service still computes for this job. */
  private final Set<String> computing = ConcurrentHashMap.newKeySet();
  /** The read-back actions registered for the requested outputs, dropped on close. */
  private final Map<String, Consumer<TeacherOutputLocation>> arrivals = new ConcurrentHashMap<>();
  /** Requests sent so far; see {@link #recordKey()}. */
  private final AtomicLong sent = new AtomicLong();
  /** The requests the producer could not send, by key: their steps fail at once with the reason. */
  private final Map<String, RetortException> unsent = new ConcurrentHashMap<>();
  /** The steps waiting for an output, by key: a failed send ends the wait. */
  private final Map<String, CompletableFuture<TeacherOutputLocation>> waits = new ConcurrentHashMap<>();
  private long replayed;
  private long waited;

  /**
   * Creates the source.
   *
   * @param spec the pass and selection
   * @param producer publishes teacher requests
   * @param index the shared index view
   * @param fetcher reads outputs back, on a thread of its own (closed with this source)
   * @param mapper decodes outputs
   * @param timeout how long a batch may take
   * @param threads the job's step threads, told before each step whether outputs this source
   *     asked for are still being computed
   */
  public RemoteTeacherSource(
      Spec spec, Producer<String, byte[]> producer, TeacherIndexView index, ChunkFetcher fetcher,
      TeacherOutputMapper mapper, Duration timeout, StepThreads threads) {
    this.spec = spec;
    this.producer = producer;
    this.index = index;
    this.reads = new ReadAhead(fetcher, "teacher-read-" + spec.jobId());
    this.mapper = mapper;
    this.timeout = timeout;
    this.threads = threads;
  }

  /** Returns how many outputs have been read back ahead and wait for their steps. */
  int readsWaiting() {
    return reads.waiting();
  }

  /** Returns whether outputs this source asked for are still being computed. */
  boolean teacherComputing() {
    return !computing.isEmpty();
  }

  /** Returns how many outputs were replayed from the log and how many had to be waited for. */
  public long[] counts() {
    return new long[] {replayed, waited};
  }

  /** {@inheritDoc} */
  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    long t0 = System.nanoTime();
    // On the job's thread, before the step computes: announced outputs the teacher still computes
    // keep the step on the job's threads, and none take the cores the teacher leaves idle.
    threads.report(this, teacherComputing());
    try {
      String key = BatchKeys.key(spec.passId(), BatchKeys.batchKey(batch));
      for (int attempt = 0; attempt < 3; attempt++) {
        RetortException unsentRequest = unsent.get(key);
        if (unsentRequest != null) {
          throw unsentRequest;
        }
        TeacherOutputLocation loc = index.find(key).orElse(null);
        if (loc == null) {
          request(batch, key);
          loc = await(key, batch);
          waited++;
        } else {
          replayed++;
        }
        long located = System.nanoTime();
        arrivals.remove(key); // its output is indexed: the action ran or was not needed
        computing.remove(key);
        ReadAhead.Read read = reads.take(key, loc);
        switch (read.status()) {
          case FOUND -> {
            long fetched = System.nanoTime();
            TeacherOutput out = checked(read, loc, batch, key);
            TeacherOutputs outputs;
            try {
              outputs = mapper.decode(out, batch, spec.selection(), manager);
            } catch (BadMessageException e) {
              throw badOutput(batch, key, loc, e.reason(), e);
            }
            if (LOG.isDebugEnabled()) {
              LOG.debug("{}: teacher output {}: located after {} ms, read back (or waited for) in {} ms"
                  + " ({} bytes), decoded in {} ms; {} computed it in {} ms", spec.jobId(), key,
                  (located - t0) / 1_000_000, (fetched - located) / 1_000_000, loc.getBytes(),
                  (System.nanoTime() - fetched) / 1_000_000, out.getComputedBy(),
                  Math.round(out.getComputeMs()));
            }
            return outputs;
          }
          case GONE -> {
            LOG.info("{}: teacher output {} was deleted by retention; asking again", spec.jobId(), key);
            index.forget(key);
            requested.remove(key);
          }
          default -> throw new RetortException("teacher output " + key, "cannot be read back: " + read.reason(), "Check the broker and the teacher service's log");
        }
      }
      throw new RetortException("teacher output " + key, "kept disappearing from the log", "Raise the retention of " + Topics.TEACHER_OUTPUTS);
    } finally {
      timer.add(StepTimer.TEACHER, System.nanoTime() - t0);
    }
  }

  /**
   * Returns the output read back, once it is known to decode and to be the one asked for.
   *
   * @throws RetortException saying what is wrong with it, where it is and what to do
   */
  private TeacherOutput checked(ReadAhead.Read read, TeacherOutputLocation loc, Batch batch,
      String key) {
    if (!read.output().isOk()) {
      throw badOutput(batch, key, loc, "does not decode: " + read.output().reason(), null);
    }
    TeacherOutput out = read.output().value();
    Optional<String> mismatch =
        TeacherOutputMapper.mismatch(out, loc, spec.passId(), BatchKeys.batchKey(batch));
    if (mismatch.isPresent()) {
      throw badOutput(batch, key, loc, mismatch.get(), null);
    }
    return out;
  }

  /** The failure of a step whose teacher output is not what the job asked for. */
  private RetortException badOutput(Batch batch, String key, TeacherOutputLocation loc,
      String what, Throwable cause) {
    return new RetortException(
        "job " + spec.jobId() + ", teacher output of batch " + batch.index() + " of epoch "
            + batch.epoch() + " (key " + key + ", " + loc.getTopic() + "-" + loc.getPartition()
            + "@" + loc.getOffset() + ")",
        what,
        "The teacher service that wrote it, or its index entry on " + Topics.TEACHER_INDEX
            + ", is out of date or broken: check the teacher service's version and log. The batch"
            + " is computed again once its index entry is deleted (a tombstone for key " + key
            + ")",
        cause);
  }

  private TeacherOutputLocation await(String key, Batch batch) {
    CompletableFuture<TeacherOutputLocation> wait = new CompletableFuture<>();
    waits.put(key, wait);
    index.await(key, timeout).whenComplete((loc, error) -> {
      if (error != null) {
        wait.completeExceptionally(error);
      } else {
        wait.complete(loc);
      }
    });
    RetortException failedSend = unsent.get(key); // failed before the wait was registered
    if (failedSend != null) {
      wait.completeExceptionally(failedSend);
    }
    try {
      return wait.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetortException unsentRequest) {
        throw unsentRequest;
      }
      if (e.getCause() instanceof CancellationException) {
        // The trainer shuts down and closed the index; the job is suspended, not failed.
        throw new CancellationException("the wait for teacher output " + key + " was cancelled: the trainer is shutting down");
      }
      if (e.getCause() instanceof TeacherRejectedException rejected) {
        throw new RetortException(
            "job " + spec.jobId() + ", batch " + batch.index() + " of epoch " + batch.epoch(),
            "the teacher service rejected its request: " + rejected.reason(),
            "Read the teacher service's log; the request is kept with the reason on "
                + Topics.DEAD_LETTERS);
      }
      throw noOutput(batch);
    } catch (TimeoutException e) {
      throw noOutput(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the teacher", e);
    } finally {
      waits.remove(key, wait);
    }
  }

  private RetortException noOutput(Batch batch) {
    return new RetortException(
        "job " + spec.jobId() + ", batch " + batch.index() + " of epoch " + batch.epoch(),
        "no teacher output within " + timeout.toSeconds() + " s",
        "Check that a teacher service is ready (its /q/health/ready), that its consumer group "
            + "retort-teacher is reading " + Topics.TEACHER_REQUESTS + " (kafka-consumer-groups.sh "
            + "--describe --group retort-teacher: a growing lag means it is behind or stuck) and "
            + "that it can load " + spec.teacherRef() + " (its log)");
  }

  /** {@inheritDoc} */
  @Override
  public void prefetch(List<Batch> upcoming) {
    for (Batch b : upcoming) {
      String key = BatchKeys.key(spec.passId(), BatchKeys.batchKey(b));
      Optional<TeacherOutputLocation> loc = index.find(key);
      if (loc.isEmpty()) {
        request(b, key);
      } else {
        reads.schedule(key, loc.get());
      }
    }
  }

  private void request(Batch batch, String key) {
    if (!requested.add(key)) {
      return;
    }
    index.forgetRejection(key); // only the answer to this request counts
    // Read the output back as soon as the teacher indexes it, perhaps while a step still computes.
    computing.add(key);
    Consumer<TeacherOutputLocation> readBack = loc -> {
      computing.remove(key);
      reads.schedule(key, loc);
    };
    arrivals.put(key, readBack);
    index.whenIndexed(key, readBack);
    TeacherRequest req =
        TeacherRequest.newBuilder()
            .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
            .setPassId(spec.passId())
            .setBatchIndex(BatchKeys.batchKey(batch))
            .setTeacherRef(spec.teacherRef())
            .setNumLabels(spec.numLabels())
            .setRegression(spec.regression())
            .setSelection(spec.wire())
            .setInputIds(mapper.ints(batch.inputIds()))
            .setTokenTypeIds(mapper.ints(batch.segmentIds()))
            .setAttentionMask(mapper.ints(batch.attentionMask()))
            .setRequestedBy(spec.jobId())
            .setDomain(spec.domain())
            .setDropout(spec.dropout())
            .build();
    byte[] bytes = req.toByteArray();
    String where = "job " + spec.jobId() + ", batch " + batch.index() + " of epoch " + batch.epoch();
    int examples = batch.size();
    int tokens = batch.length();
    producer.send(new ProducerRecord<>(Topics.TEACHER_REQUESTS, recordKey(), bytes), (metadata, error) -> {
      if (error != null) {
        sendFailed(key, SendFailures.teacherRequest(where, bytes.length, examples, tokens, error));
      }
    });
  }

  /** Fails the step waiting for (or later asking for) an output whose request was not sent. */
  private void sendFailed(String key, RetortException failure) {
    LOG.warn("{}: {}", spec.jobId(), failure.getMessage());
    unsent.put(key, failure);
    computing.remove(key);
    CompletableFuture<TeacherOutputLocation> wait = waits.get(key);
    if (wait != null) {
      wait.completeExceptionally(failure);
    }
  }

  /**
   * Returns the record key of the next request: this job's requests go to one partition, in the
   * order they are sent, {@value #IN_ORDER} at a time. A teacher replica computes a partition's
   * requests in offset order, and requests of different partitions in the order they were sent,
   * so the batch a step waits for is not queued behind the batches announced after it; keyed
   * by batch, the requests of one announcement landed on different partitions and the teacher took
   * them in partition order (the first step of a job waited for five passes instead of one). Each
   * further run of {@value #IN_ORDER} requests may go to another partition, so that a job that
   * announces far ahead can still be served by several replicas.
   */
  private String recordKey() {
    return spec.jobId() + "/" + sent.getAndIncrement() / IN_ORDER;
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    arrivals.forEach(index::forgetWhenIndexed);
    reads.close();
  }
}
