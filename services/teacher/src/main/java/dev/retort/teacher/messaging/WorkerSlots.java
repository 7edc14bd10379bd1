package dev.retort.teacher.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;

/**
 * How many teacher requests compute at once ({@code retort.teacher.workers}, N), and how many
 * computed outputs publish at once (also N).
 *
 * <p>A request holds a compute slot for its forward pass, then takes a publish slot before it lets
 * the compute slot go, so the next request computes while this one's output is encoded and sent.
 * At most 2N outputs are in memory (N computing, N publishing), and a slow broker slows the
 * workers instead of filling the heap. Each request is acknowledged (its offset committed) only
 * after its publish: a crash loses nothing, it only recomputes.
 *
 * <p>Why N workers rather than one worker on every core: libtorch splits one forward pass over its
 * intra-op threads, which meet at a barrier after every op. Where the cores are shared (the
 * trainer computes on the same machine), a barrier waits for a thread the scheduler took away.
 * N passes on one thread each need no barrier, and a worker that finished a short batch takes the
 * next request at once: requests are acknowledged out of order (the channel's {@code throttled}
 * commit strategy commits the highest offset below which every request is done).
 *
 * <p>Requests of one partition take the compute slots in offset order ({@link PartitionTurn}), so a
 * job's batches are computed in the order its steps need them: the channel hands records to the
 * worker threads in order, but the threads race to the slots. A request whose predecessor has not
 * reached the slots waits for it at most {@link #ORDER_WAIT} (the predecessor may be stuck behind
 * a duplicate of its key, or gone). Of the requests that may compute, the one sent first (record
 * time stamp) takes a free slot, so a job's requests on two partitions keep their order too, and
 * jobs are served in the order they asked.
 */
public final class WorkerSlots {
  /** How long a request waits for an earlier request of its partition to reach the slots. */
  public static final Duration ORDER_WAIT = Duration.ofMillis(50);

  private final int workers;
  private final long orderWaitNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>(); // waiting requests, in arrival order
  private final Map<TopicPartition, PartitionTurn> turns = new HashMap<>();
  private final Semaphore publishing;
  private int free; // compute slots not held
  private long lateAdmissions;

  /**
   * Creates the slots.
   *
   * @param workers N, at least 1
   * @throws IllegalArgumentException if N is below 1
   */
  public WorkerSlots(int workers) {
    this(workers, ORDER_WAIT);
  }

  /**
   * Creates the slots with another wait for earlier requests (tests).
   *
   * @param workers N, at least 1
   * @param orderWait how long a request waits for an earlier request of its partition
   * @throws IllegalArgumentException if N is below 1
   */
  WorkerSlots(int workers, Duration orderWait) {
    if (workers < 1) {
      throw new IllegalArgumentException("retort.teacher.workers is " + workers
          + "; it must be at least 1 (the requests computed at the same time)");
    }
    this.workers = workers;
    this.orderWaitNanos = orderWait.toNanos();
    this.free = workers;
    this.publishing = new Semaphore(workers, true);
  }

  /** Returns N. */
  public int workers() {
    return workers;
  }

  /**
   * Waits for a compute slot in the order of the request's partition.
   *
   * @param partition the request record's partition
   * @param offset its offset
   * @param sentAt its time stamp, in epoch milliseconds
   * @return the slot; closing it gives it back
   */
  public Slot compute(TopicPartition partition, long offset, long sentAt) {
    Waiter w = new Waiter(partition, offset, sentAt, System.nanoTime());
    lock.lock();
    try {
      PartitionTurn turn = turn(partition);
      queue.addLast(w);
      while (!(free > 0 && next(System.nanoTime()) == w)) {
        changed.awaitNanos(orderWaitNanos);
      }
      queue.remove(w);
      free--;
      if (turn.ahead(offset)) {
        lateAdmissions++; // the first request of a partition has no turn to be out of
      }
      turn.computed(offset);
      changed.signalAll();
    } catch (InterruptedException e) {
      queue.remove(w);
      turn(partition).left(offset);
      changed.signalAll();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a compute slot", e);
    } finally {
      lock.unlock();
    }
    return new Slot(this::releaseCompute);
  }

  /**
   * Records that a request leaves without computing, or has finished; the requests after it in its
   * partition no longer wait for it. Calling it for a request that computed changes nothing.
   *
   * @param partition the request record's partition
   * @param offset its offset
   */
  public void done(TopicPartition partition, long offset) {
    lock.lock();
    try {
      turn(partition).left(offset);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for a publish slot; take it while still holding the compute slot.
   *
   * @return the slot; closing it gives it back
   */
  public Slot publish() {
    publishing.acquireUninterruptibly();
    return new Slot(publishing::release);
  }

  /** Returns how many requests are computing now. */
  public int computing() {
    lock.lock();
    try {
      return workers - free;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many requests wait for a compute slot now. */
  public int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many requests took a compute slot before an earlier request of their partition,
   * after waiting {@link #ORDER_WAIT} for it (not counting the first requests of a partition,
   * which also wait that long, for any earlier one that may be on its way).
   */
  public long lateAdmissions() {
    lock.lock();
    try {
      return lateAdmissions;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many outputs are publishing now. */
  public int publishing() {
    return workers - publishing.availablePermits();
  }

  /**
   * Returns the waiting request that takes the next free slot: of those that may compute, the one
   * sent first, ties in arrival order. A request may compute when it is its partition's turn, or
   * when it has waited {@link #ORDER_WAIT} and no earlier request of its partition is waiting (the
   * earlier one is missing, not merely behind it in the queue).
   */
  private Waiter next(long now) {
    Waiter best = null;
    for (Waiter w : queue) {
      if (mayCompute(w, now) && (best == null || w.sentAt < best.sentAt)) {
        best = w;
      }
    }
    return best;
  }

  private boolean mayCompute(Waiter w, long now) {
    return turns.get(w.partition).inTurn(w.offset)
        || (now - w.since >= orderWaitNanos && !earlierWaiting(w));
  }

  private boolean earlierWaiting(Waiter w) {
    for (Waiter other : queue) {
      if (other.partition.equals(w.partition) && other.offset < w.offset) {
        return true;
      }
    }
    return false;
  }

  private PartitionTurn turn(TopicPartition partition) {
    return turns.computeIfAbsent(partition, p -> new PartitionTurn());
  }

  private void releaseCompute() {
    lock.lock();
    try {
      free++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A request waiting for a compute slot (compared by identity: a record may come twice). */
  private static final class Waiter {
    final TopicPartition partition;
    final long offset;
    final long sentAt; // the record's time stamp, epoch ms
    final long since; // when it began to wait, System.nanoTime()

    Waiter(TopicPartition partition, long offset, long sentAt, long since) {
      this.partition = partition;
      this.offset = offset;
      this.sentAt = sentAt;
      this.since = since;
    }
  }

  /** A held slot; closing it more than once gives it back once. */
  public static final class Slot implements AutoCloseable {
    private Runnable release;

    private Slot(Runnable release) {
      this.release = release;
    }

    /** Gives the slot back. */
    @Override
    public void close() {
      if (release != null) {
        release.run();
        release = null;
      }
    }
  }
}
