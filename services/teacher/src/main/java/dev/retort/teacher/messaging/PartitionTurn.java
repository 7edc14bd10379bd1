package dev.retort.teacher.messaging;

import java.util.TreeSet;

/**
 * Whose turn it is to compute among the requests of one partition of the requests topic: the
 * lowest offset that has not yet passed, where a request passes when it takes a compute slot or
 * leaves without computing (a duplicate, an invalid request). Not thread-safe: {@link WorkerSlots}
 * holds its lock around every call.
 *
 * <p>The channel hands a partition's records to the worker pool in offset order, but the workers
 * then race to the compute slots. A trainer sends a job's requests to one partition in the order
 * its steps need them, and at the start of a job it sends the current batch and its window
 * together; a later batch that won the race kept the first step waiting for a second pass.
 */
final class PartitionTurn {
  /** Offsets kept that passed ahead of their turn; beyond this the turn jumps past the gap. */
  private static final int MAX_AHEAD = 1024;

  private Long next; // the lowest offset not yet passed; null until a request passes
  private final TreeSet<Long> passedAhead = new TreeSet<>(); // passed offsets above next

  /**
   * Returns whether the request at an offset may compute now: it is the next one, or older than the
   * next one (a record delivered again after a rebalance comes after the ones that followed it).
   */
  boolean inTurn(long offset) {
    return next != null && offset <= next;
  }

  /** Returns whether an offset comes after the next one: an earlier request has not passed. */
  boolean ahead(long offset) {
    return next != null && offset > next;
  }

  /**
   * Records a request that took a compute slot. One that took it ahead of its turn (its
   * predecessor never came) moves the turn past itself: the missing offsets count as older ones
   * when they do come.
   */
  void computed(long offset) {
    if (next == null || offset >= next) {
      next = offset + 1;
      passedAhead.headSet(next).clear();
      advance();
    }
  }

  /** Records a request that left without computing; it no longer holds up the ones after it. */
  void left(long offset) {
    if (next == null) {
      next = offset + 1;
      advance();
    } else if (offset == next) {
      next = offset + 1;
      advance();
    } else if (offset > next) {
      passedAhead.add(offset);
      if (passedAhead.size() > MAX_AHEAD) {
        next = passedAhead.last() + 1;
        passedAhead.clear();
      }
    }
  }

  private void advance() {
    while (passedAhead.remove(next)) {
      next++;
    }
  }
}
