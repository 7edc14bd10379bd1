package dev.retort.trainer.messaging;

import dev.retort.core.RetortException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic on its own thread, without a consumer group, from the
 * beginning (the compacted teacher index, job control commands) or from the end (replies meant
 * for whoever is running now). Stops with {@link KafkaConsumer#wakeup()} and a join.
 */
public final class TopicTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  /** Where reading starts. */
  public enum Start {
    /** The oldest record still in the log. */
    BEGINNING,
    /** Only records written from now on. */
    END
  }

  /**
   * How long the constructor waits for a topic that does not exist yet. The trainer creates no
   * topics; the teacher, loss and evaluator services do at start-up, and on Kubernetes the trainer
   * may start first.
   */
  static final Duration TOPIC_WAIT = Duration.ofMinutes(2);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean caughtUp;

  /**
   * Starts tailing.
   *
   * @param consumer a consumer without a group (closed by {@link #close()})
   * @param topic the topic
   * @param start where to start
   * @param handler called on the tail's thread for every record; must not throw
   * @param name the thread's name
   * @throws RetortException if the topic does not exist within {@link #TOPIC_WAIT}
   */
  public TopicTail(KafkaConsumer<String, byte[]> consumer, String topic, Start start,
      Consumer<ConsumerRecord<String, byte[]>> handler, String name) {
    this(consumer, topic, start, handler, name, TOPIC_WAIT);
  }

  /**
   * Starts tailing, waiting at most {@code topicWait} for the topic to exist.
   *
   * @param consumer a consumer without a group (closed by {@link #close()}, or here if the topic
   *     never appears)
   * @param topic the topic
   * @param start where to start
   * @param handler called on the tail's thread for every record; must not throw
   * @param name the thread's name
   * @param topicWait how long to wait for the topic
   * @throws RetortException if the topic does not exist within {@code topicWait}
   */
  TopicTail(KafkaConsumer<String, byte[]> consumer, String topic, Start start,
      Consumer<ConsumerRecord<String, byte[]>> handler, String name, Duration topicWait) {
    this.consumer = consumer;
    this.topic = topic;
    this.handler = handler;
    List<TopicPartition> parts;
    try {
      parts = partitions(consumer, topic, topicWait);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    consumer.assign(parts);
    if (start == Start.BEGINNING) {
      consumer.seekToBeginning(parts);
    } else {
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position); // resolve the end now, before anything is sent
      caughtUp = true;
    }
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Returns the topic's partitions once it exists. Assigning the empty list of a topic that does
   * not exist yet would read nothing, ever: a trainer started before the topics were created saw
   * no teacher output and no loss reply, and said it was ready.
   */
  private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer,
      String topic, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean logged = false;
    while (true) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      if (!parts.isEmpty()) {
        if (logged) {
          LOG.info("Topic {} exists now ({} partitions)", topic, parts.size());
        }
        return parts;
      }
      if (System.nanoTime() > deadline) {
        throw new RetortException("topic " + topic,
            "does not exist after " + wait.toSeconds() + " s",
            "The teacher, loss and evaluator services create retort's topics at start-up "
                + "(retort.*.topics.create-on-start): start one of them against the same broker "
                + "(on Kubernetes the trainer's pod is then restarted and tries again)");
      }
      if (!logged) {
        LOG.warn("Topic {} does not exist yet; waiting up to {} s for a service to create it",
            topic, wait.toSeconds());
        logged = true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  /** Returns whether the tail has read up to the end that existed when it started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Returns whether the reading thread is alive. */
  public boolean alive() {
    return thread.isAlive();
  }

  private void loop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> r : records) {
          try {
            handler.accept(r);
          } catch (RuntimeException e) {
            LOG.warn("{}: record at {}-{}@{} could not be handled: {}", topic, r.topic(), r.partition(), r.offset(), e.toString());
          }
        }
        if (!caughtUp && records.isEmpty()) {
          caughtUp = true;
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("{} tail stopped: {}", topic, e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** {@inheritDoc} */
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
