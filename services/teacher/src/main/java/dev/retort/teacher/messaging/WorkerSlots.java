package dev.retort.teacher.messaging;

import java.util.concurrent.Semaphore;

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
 */
public final class WorkerSlots {
  private final int workers;
  private final Semaphore computing;
  private final Semaphore publishing;

  /**
   * Creates the slots.
   *
   * @param workers N, at least 1
   * @throws IllegalArgumentException if N is below 1
   */
  public WorkerSlots(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("retort.teacher.workers is " + workers
          + "; it must be at least 1 (the requests computed at the same time)");
    }
    this.workers = workers;
    this.computing = new Semaphore(workers, true);
    this.publishing = new Semaphore(workers, true);
  }

  /** Returns N. */
  public int workers() {
    return workers;
  }

  /**
   * Waits for a compute slot.
   *
   * @return the slot; closing it gives it back
   */
  public Slot compute() {
    computing.acquireUninterruptibly();
    return new Slot(computing);
  }

  /**
   * Waits for a publish slot; take it while still holding the compute slot.
   *
   * @return the slot; closing it gives it back
   */
  public Slot publish() {
    publishing.acquireUninterruptibly();
    return new Slot(publishing);
  }

  /** Returns how many requests are computing now. */
  public int computing() {
    return workers - computing.availablePermits();
  }

  /** Returns how many outputs are publishing now. */
  public int publishing() {
    return workers - publishing.availablePermits();
  }

  /** A held slot; closing it more than once gives it back once. */
  public static final class Slot implements AutoCloseable {
    private Semaphore owner;

    private Slot(Semaphore owner) {
      this.owner = owner;
    }

    /** Gives the slot back. */
    @Override
    public void close() {
      if (owner != null) {
        owner.release();
        owner = null;
      }
    }
  }
}
