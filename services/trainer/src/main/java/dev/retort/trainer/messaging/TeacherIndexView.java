package dev.retort.trainer.messaging;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.ReplyWaiter;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer's view of {@value Topics#TEACHER_INDEX}: where every teacher output already computed
 * sits in the outputs topic, by {@code <pass>/<batch>} key. Built by reading the compacted index from
 * the beginning and kept current; a job waiting for a batch registers and is completed when the
 * entry arrives.
 */
public final class TeacherIndexView implements AutoCloseable {
  private final Map<String, TeacherOutputLocation> locations = new ConcurrentHashMap<>();
  private final ReplyWaiter<String, TeacherOutputLocation> waiter;
  private final ProtoSerde<TeacherOutputLocation> serde = ProtoSerde.of(TeacherOutputLocation.getDefaultInstance());
  private final TopicTail tail;

  /**
   * Starts reading the index.
   *
   * @param clients the client factory
   * @param timeout default wait for an entry
   */
  public TeacherIndexView(KafkaClients clients, Duration timeout) {
    this(clients, timeout, (r, reason) -> { });
  }

  /**
   * Starts reading the index, reporting records that do not parse.
   *
   * @param clients the client factory
   * @param timeout default wait for an entry
   * @param bad receives records that do not parse, with the reason
   */
  public TeacherIndexView(KafkaClients clients, Duration timeout,
      java.util.function.BiConsumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>, String> bad) {
    this.waiter = new ReplyWaiter<>("teacher output", timeout);
    this.tail = new TopicTail(clients.assignedConsumer("teacher-index"), Topics.TEACHER_INDEX, TopicTail.Start.BEGINNING,
        r -> {
          if (r.value() == null) {
            locations.remove(r.key());
            return;
          }
          var d = serde.decode(r.value());
          if (d.isOk()) {
            locations.put(r.key(), d.value());
            waiter.complete(r.key(), d.value());
          } else {
            bad.accept(r, d.reason());
          }
        }, "teacher-index");
  }

  /** Returns the location of an output, if known. */
  public Optional<TeacherOutputLocation> find(String key) {
    return Optional.ofNullable(locations.get(key));
  }

  /** Forgets a location (its records were deleted by retention). */
  public void forget(String key) {
    locations.remove(key);
  }

  /**
   * Waits for an entry (or returns it at once if known).
   *
   * @param key the index key
   * @param timeout how long to wait
   * @return the location, or a future failing with a timeout
   */
  public CompletableFuture<TeacherOutputLocation> await(String key, Duration timeout) {
    CompletableFuture<TeacherOutputLocation> f = waiter.register(key, timeout);
    TeacherOutputLocation known = locations.get(key);
    if (known != null) {
      waiter.complete(key, known);
    }
    return f;
  }

  /** Returns whether the view has read the index up to where it stood at start. */
  public boolean ready() {
    return tail.caughtUp() && tail.alive();
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    tail.close();
    waiter.close();
  }
}
