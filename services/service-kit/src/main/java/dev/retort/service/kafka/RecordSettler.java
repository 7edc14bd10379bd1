package dev.retort.service.kafka;

import dev.retort.service.health.HandlerWatch;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/**
 * Settles each record of a request channel: handles it, handles it again after a doubling
 * back-off while it fails for a transient reason ({@link Handled#RETRY}), and then says whether it
 * may be acknowledged.
 *
 * <p>A record that still fails after the retries is left unacknowledged: the channel's {@code
 * throttled} commit strategy never commits past it, so it is delivered again after a rebalance or
 * a restart, and nothing is lost. Until then the {@link HandlerWatch} holds it, and the liveness
 * check goes down once it has waited for longer than the service's {@code health.wedged-after},
 * so that the restart delivers it. Each retry and each record left uncommitted is counted.
 *
 * <p>The handler never throws; should it, the record is left uncommitted as well, never lost.
 */
public final class RecordSettler {
  private final HandlerWatch watch;
  private final int retries;
  private final Duration backoff;
  private final Runnable onRetry;
  private final Runnable onUncommitted;
  private final Logger log;

  private RecordSettler(Builder b) {
    this.watch = b.watch;
    this.retries = b.retries;
    this.backoff = b.backoff;
    this.onRetry = b.onRetry;
    this.onUncommitted = b.onUncommitted;
    this.log = b.log;
  }

  /**
   * Returns a builder.
   *
   * @param watch the liveness watch: the record is in hand while it is settled
   * @return the builder
   */
  public static Builder builder(HandlerWatch watch) {
    return new Builder(watch);
  }

  /**
   * Handles a record on the calling thread, again while it fails for a transient reason.
   *
   * @param record the record
   * @param handler handles it once, and says what became of it
   * @return whether the record may be acknowledged (committed); false leaves it uncommitted
   */
  public boolean settle(ConsumerRecord<String, byte[]> record,
      Function<ConsumerRecord<String, byte[]>, Handled> handler) {
    String id = HandlerWatch.recordId(record.topic(), record.partition(), record.offset());
    long token = watch.begin();
    try {
      Handled handled = attempt(id, record, handler);
      for (int retry = 0; handled == Handled.RETRY && retry < retries; retry++) {
        onRetry.run();
        Duration wait = backoff.multipliedBy(1L << Math.min(retry, 16));
        log.warn("{} failed for a transient reason; handling it again in {} ms (retry {} of {})",
            id, wait.toMillis(), retry + 1, retries);
        if (!sleep(wait)) {
          break;
        }
        watch.beat(); // waiting out a back-off is not being wedged
        handled = attempt(id, record, handler);
      }
      if (handled == Handled.DONE) {
        watch.committed(id);
        return true;
      }
      onUncommitted.run();
      watch.leftUncommitted(id);
      log.error("{} still fails for a transient reason after {} retries; it is left uncommitted"
          + " and is delivered again after a rebalance or a restart (the liveness check goes"
          + " down if it waits longer than health.wedged-after)", id, retries);
      return false;
    } finally {
      watch.end(token);
    }
  }

  private Handled attempt(String id, ConsumerRecord<String, byte[]> record,
      Function<ConsumerRecord<String, byte[]>, Handled> handler) {
    try {
      return Objects.requireNonNull(handler.apply(record), "handled");
    } catch (Throwable e) { // Errors too: acknowledged, the record would be lost
      log.error("The handler of {} threw instead of settling it; it is left uncommitted", id, e);
      return Handled.RETRY;
    }
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the replica shuts down: leave the record as it is
      return false;
    }
  }

  /** Builds {@link RecordSettler}; the retries and the logger are required. */
  public static final class Builder {
    private final HandlerWatch watch;
    private int retries = -1;
    private Duration backoff;
    private Runnable onRetry = () -> { };
    private Runnable onUncommitted = () -> { };
    private Logger log;

    private Builder(HandlerWatch watch) {
      this.watch = Objects.requireNonNull(watch, "watch");
    }

    /**
     * Sets how often a record that fails for a transient reason is handled again, and the wait
     * before the first retry, doubled before each further one (required).
     *
     * @param retries retries after the first attempt, 0 or more
     * @param backoff the first wait
     * @return this builder
     */
    public Builder setRetries(int retries, Duration backoff) {
      this.retries = retries;
      this.backoff = backoff;
      return this;
    }

    /** Sets where settling is logged: the consumer bean's logger (required). */
    public Builder setLogger(Logger log) {
      this.log = log;
      return this;
    }

    /** Sets what runs before each retry, e.g. a counter (default nothing). */
    public Builder optOnRetry(Runnable onRetry) {
      this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
      return this;
    }

    /** Sets what runs for each record left uncommitted, e.g. a counter (default nothing). */
    public Builder optOnUncommitted(Runnable onUncommitted) {
      this.onUncommitted = Objects.requireNonNull(onUncommitted, "onUncommitted");
      return this;
    }

    /** Validates and returns the settler. */
    public RecordSettler build() {
      if (retries < 0 || backoff == null || backoff.isNegative()) {
        throw new IllegalArgumentException("You must specify the retries (setRetries): at least 0,"
            + " with a back-off that is not negative; got " + retries + " and " + backoff);
      }
      if (log == null) {
        throw new IllegalArgumentException("You must specify the logger (setLogger)");
      }
      return new RecordSettler(this);
    }
  }
}
