package dev.retort.teacher.messaging;

import dev.retort.messaging.Decoded;
import dev.retort.messaging.ProtoSerde;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of the compacted teacher index: key {@code <pass id>/<batch key>} to the
 * output's location, read by a background thread that is assigned every partition of the index
 * topic from the beginning.
 *
 * <p>It is "caught up" once it has read up to the end offsets it saw when it started: from then on
 * an output computed before this replica started is known. A tombstone (null value) removes a key;
 * a value that does not decode is skipped with a warning. The service also records its own
 * publications with {@link #put}, so a duplicate that arrives before its entry comes back from the
 * broker is recognised.
 */
public final class IndexView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexView.class);
  private static final ProtoSerde<TeacherOutputLocation> SERDE =
      ProtoSerde.of(TeacherOutputLocation.getDefaultInstance());

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Duration pollTimeout;
  private final Map<String, TeacherOutputLocation> entries = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String error;

  /**
   * Creates a view; {@link #start()} starts reading.
   *
   * @param consumer a consumer without group, used only by this view's thread
   * @param topic the index topic
   * @param pollTimeout the longest single poll
   */
  public IndexView(Consumer<String, byte[]> consumer, String topic, Duration pollTimeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.pollTimeout = pollTimeout;
    this.thread = new Thread(this::run, "retort-teacher-index");
    thread.setDaemon(true);
  }

  /** Starts the background thread. */
  public void start() {
    thread.start();
  }

  /**
   * Returns the location of an output, if indexed.
   *
   * @param key {@code <pass id>/<batch key>}
   * @return the location
   */
  public Optional<TeacherOutputLocation> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /**
   * Records a location this replica published.
   *
   * @param key the key
   * @param location the location
   */
  public void put(String key, TeacherOutputLocation location) {
    entries.put(key, location);
  }

  /**
   * Forgets a key whose location is no longer usable (deleted by retention).
   *
   * @param key the key
   */
  public void forget(String key) {
    entries.remove(key);
  }

  /** Returns how many keys are indexed. */
  public int size() {
    return entries.size();
  }

  /** Returns whether the entries that existed at start-up have been read. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /**
   * Waits until the view has caught up.
   *
   * @param timeout the longest wait
   * @return whether it has caught up
   */
  public boolean awaitCaughtUp(Duration timeout) {
    try {
      return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Returns why the reading thread stopped on an error, or null while it is healthy. */
  public String error() {
    return error;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions == null) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(pollTimeout)) {
          apply(r);
        }
        if (caughtUp.getCount() > 0 && reached(target)) {
          LOG.info("Teacher index view caught up: {} entries", entries.size());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // close() was called
    } catch (RuntimeException e) {
      error = e.toString();
      LOG.error("The teacher index view stopped", e);
    } finally {
      running = false;
      consumer.close();
    }
  }

  private List<TopicPartition> awaitPartitions() {
    while (running) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      LOG.info("Topic {} does not exist yet; waiting", topic);
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private boolean reached(Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    if (r.value() == null) {
      entries.remove(r.key());
      return;
    }
    Decoded<TeacherOutputLocation> d = SERDE.decode(r.value());
    if (d.isOk()) {
      entries.put(r.key(), d.value());
    } else {
      LOG.warn("Skipping index entry {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(),
          r.offset(), d.reason());
    }
  }

  /** Stops the thread and closes the consumer. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
