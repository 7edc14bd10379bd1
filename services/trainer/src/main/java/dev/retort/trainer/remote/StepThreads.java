package dev.retort.trainer.remote;

import dev.retort.core.engine.Torch;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libtorch threads of a job's steps, by whether the teacher service still computes for the job.
 *
 * <p>Where the trainer shares its machine with the teacher service (the local platform of {@code
 * retort demo} and {@code retort bench}), it runs on fewer threads than there are cores, so that
 * the teacher keeps the rest. Once every output the job has asked for is in the log (a student of
 * a teacher pass that another job computed, or the last steps of a pass), the teacher computes
 * nothing for it and those cores idle: the steps then run on {@code replay} threads. The job's
 * teacher sources report before each step ({@link #report}); the count changes on the calling
 * thread, the job's, and {@link #restore} puts the job's own count back when the job ends.
 *
 * <p>One per job: a job of several domains has a source per domain, and the teacher computes for
 * the job while any of them waits for an output.
 */
public final class StepThreads {
  private static final Logger LOG = LoggerFactory.getLogger(StepThreads.class);

  private final String jobId;
  private final int base;
  private final int replay;
  /** The sources that wait for an output they asked for. */
  private final Set<Object> computing = ConcurrentHashMap.newKeySet();
  private int current;

  private StepThreads(String jobId, int base, int replay) {
    this.jobId = jobId;
    this.base = base;
    this.replay = replay;
    this.current = base;
  }

  /**
   * Creates the job's threads, on the job's thread: its present count is the count while the
   * teacher computes.
   *
   * @param jobId the job, for the log
   * @param replay threads while the teacher computes nothing for the job; empty: never change
   * @return the job's threads
   * @throws IllegalArgumentException for a count below 1
   */
  public static StepThreads onThisThread(String jobId, Optional<Integer> replay) {
    check(replay);
    int base = Torch.intraOpThreads();
    return new StepThreads(jobId, base, replay.orElse(base));
  }

  /**
   * Checks {@code retort.trainer.replay-threads}.
   *
   * @param replay the configured value
   * @throws IllegalArgumentException for a count below 1
   */
  public static void check(Optional<Integer> replay) {
    if (replay.isPresent() && replay.get() < 1) {
      throw new IllegalArgumentException(
          "retort.trainer.replay-threads is " + replay.get() + "; it must be at least 1 (or unset:"
              + " the steps keep ai.djl.pytorch.num_threads)");
    }
  }

  /**
   * Called by a teacher source on the job's thread before it hands out a step's outputs: whether it
   * still waits for outputs it asked for. Sets the calling thread's count for the step.
   *
   * @param source the source
   * @param teacherComputing whether the teacher service still computes outputs it asked for
   */
  public void report(Object source, boolean teacherComputing) {
    if (teacherComputing) {
      computing.add(source);
    } else {
      computing.remove(source);
    }
    set(computing.isEmpty() ? replay : base);
  }

  /** Returns the count set for the job's steps now. */
  public int current() {
    return current;
  }

  /** Puts the job's own count back on the calling thread (the job's, when it ends). */
  public void restore() {
    computing.clear();
    set(base);
  }

  private void set(int threads) {
    if (threads == current) {
      return;
    }
    Torch.setIntraOpThreadsOnThisThread(threads);
    if (threads == replay && replay != base) {
      LOG.info("job {}: the teacher service computes nothing for it now; its steps run on {} threads instead of {}",
          jobId, replay, base);
    }
    current = threads;
  }
}
