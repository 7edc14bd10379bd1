package dev.retort.trainer.messaging;

import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.ReplyWaiter;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's view of {@value Topics#TEACHER_INDEX}: where every teacher output already computed
 * sits in the outputs topic, by {@code <pass>/<batch>} key. Built by reading the compacted index from
 * the beginning and kept current; a job waiting for a batch registers and is completed when the
 * entry arrives.
 */
public final class TeacherIndexView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherIndexView.class);
  /** How many rejections {@link #rejected} keeps. */
  private static final int REJECTIONS_KEPT = 4096;

  private final Map<String, TeacherOutputLocation> locations = new ConcurrentHashMap<>();
  /** Actions of {@link #whenIndexed}; guarded by {@link #arrivals}, as is adding a location. */
  private final Map<String, List<Consumer<TeacherOutputLocation>>> listeners = new HashMap<>();
  private final Object arrivals = new Object();
  private final ReplyWaiter<String, TeacherOutputLocation> waiter;
  private final ProtoSerde<TeacherOutputLocation> serde = ProtoSerde.of(TeacherOutputLocation.getDefaultInstance());
  private final TopicTail tail;
  /**
   * The teacher's reasons for the requests it dead-lettered, by key ({@link TeacherRejections}):
   * kept for a step that asks after the rejection arrived; the oldest dropped beyond
   * {@value #REJECTIONS_KEPT}.
   */
  private final Map<String, String> rejections = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REJECTIONS_KEPT;
        }
      });

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
            arrived(r.key(), d.value());
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
   * @return the location, or a future failing with a timeout, or with a {@link
   *     TeacherRejectedException} if the teacher rejected the request
   */
  public CompletableFuture<TeacherOutputLocation> await(String key, Duration timeout) {
    CompletableFuture<TeacherOutputLocation> f = waiter.register(key, timeout);
    TeacherOutputLocation known = locations.get(key);
    if (known != null) {
      waiter.complete(key, known);
    } else {
      String reason = rejections.get(key);
      if (reason != null) {
        waiter.fail(key, new TeacherRejectedException(key, reason));
      }
    }
    return f;
  }

  /**
   * Records that the teacher rejected the request for an output: its wait, now or later, fails
   * with a {@link TeacherRejectedException}, unless the output is indexed first.
   *
   * @param key the index key
   * @param reason the teacher's reason
   */
  public void rejected(String key, String reason) {
    rejections.put(key, reason);
    if (!locations.containsKey(key)) {
      waiter.fail(key, new TeacherRejectedException(key, reason));
    }
  }

  /**
   * Forgets a rejection of an output: a new request for it is about to be sent, and only the
   * answer to that one counts.
   *
   * @param key the index key
   */
  public void forgetRejection(String key) {
    rejections.remove(key);
  }

  /**
   * Runs an action once an entry is in the index: on the index's reading thread when it arrives,
   * before {@link #find} or {@link #await} can return it, or at once on the calling thread if it
   * is known. The action must be quick and must not call this view.
   *
   * @param key the index key
   * @param action receives the location
   */
  public void whenIndexed(String key, Consumer<TeacherOutputLocation> action) {
    TeacherOutputLocation known;
    synchronized (arrivals) {
      known = locations.get(key);
      if (known == null) {
        listeners.computeIfAbsent(key, k -> new ArrayList<>()).add(action);
      }
    }
    if (known != null) {
      action.accept(known);
    }
  }

  /**
   * Drops an action of {@link #whenIndexed} that has not run.
   *
   * @param key the index key
   * @param action the action
   */
  public void forgetWhenIndexed(String key, Consumer<TeacherOutputLocation> action) {
    synchronized (arrivals) {
      List<Consumer<TeacherOutputLocation>> waiting = listeners.get(key);
      if (waiting != null && waiting.remove(action) && waiting.isEmpty()) {
        listeners.remove(key);
      }
    }
  }

  /**
   * Adds an entry: runs and drops the actions waiting for it, then makes it visible, so that a job
   * that finds the entry also finds what those actions started for it.
   */
  private void arrived(String key, TeacherOutputLocation location) {
    synchronized (arrivals) {
      List<Consumer<TeacherOutputLocation>> waiting = listeners.remove(key);
      if (waiting != null) {
        for (Consumer<TeacherOutputLocation> action : waiting) {
          try {
            action.accept(location);
          } catch (RuntimeException e) {
            LOG.warn("an action waiting for teacher output {} failed; the index reads on", key, e);
          }
        }
      }
      locations.put(key, location);
    }
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
