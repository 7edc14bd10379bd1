package dev.retort.cli.platform;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Watches the job events topic for many jobs at once: reads it from the beginning (so that a job
 * that ended while nobody watched is found), then follows it on a background thread. Threads wait
 * for a job's terminal event ({@link JobEnds}) with {@link #await}.
 */
public final class JobWatch implements AutoCloseable {
  private final ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
  private final PlatformClient.TopicReader reader;
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, JobEvent> ended = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Reads the events published so far, then starts following.
   *
   * @param client the platform connection
   */
  public JobWatch(PlatformClient client) {
    reader = client.fromStart(Topics.JOB_EVENTS);
    reader.drain(this::accept, k -> true);
    thread = new Thread(() -> {
      while (!closed) {
        reader.read(this::accept, () -> closed, Duration.ofSeconds(1));
      }
    }, "retort-job-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    var d = serde.decode(r.value());
    if (!d.isOk()) {
      return;
    }
    known.add(r.key());
    if (JobEnds.ends(d.value())) {
      ended.put(r.key(), d.value());
      synchronized (signal) {
        signal.notifyAll();
      }
    }
  }

  /**
   * Returns whether any event of a job was seen: the platform has it.
   *
   * @param jobId the job
   * @return whether it is known
   */
  public boolean known(String jobId) {
    return known.contains(jobId);
  }

  /**
   * Waits for a job's terminal event.
   *
   * @param jobId the job
   * @param timeout the longest wait
   * @param cancelled polled about twice a second; stops the wait
   * @return the event, or empty on timeout or cancellation
   * @throws InterruptedException if the thread is interrupted
   */
  public Optional<JobEvent> await(String jobId, Duration timeout, BooleanSupplier cancelled) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (signal) {
      while (!ended.containsKey(jobId) && !cancelled.getAsBoolean() && System.nanoTime() < end) {
        signal.wait(500);
      }
    }
    return Optional.ofNullable(ended.get(jobId));
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }
}
