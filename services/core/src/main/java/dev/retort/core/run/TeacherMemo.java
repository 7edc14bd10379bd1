package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.engine.NativeHeap;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the teacher that the last job of a trainer replica built, so that the next job with the same
 * teacher ({@link TeacherKey}) neither builds nor hashes it again.
 *
 * <p>Why: on the platform the trainer builds each job's teacher only to read its configuration and
 * vocabulary and to hand it over ({@link TeacherHandover}: its content digest names it in the
 * artifact store). The students of one shared teacher pass, and any BERT students distilled from
 * one teacher, all build the same teacher: a BERT-base preset took about 0.55 s to build and 0.37 s
 * to hash, of a replaying student's 8–10 s. A job that fine-tunes its teacher, or whose teacher has
 * no key, takes no kept teacher and drops the one kept, so that the replica never holds two; so do
 * HRKD jobs and EfficientBERT students (a search's candidates), which build their teachers their
 * own way ({@link JobRunner#run}).
 *
 * <p>A kept teacher is only read: the jobs that take it do not run it (the teacher service does) or
 * change it. It lives in this memo's own manager until another teacher replaces it or {@link
 * #close()}. The trainer runs one job at a time; a teacher handed to a job must not be replaced while
 * that job runs, so one memo serves one job at a time.
 */
public final class TeacherMemo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherMemo.class);

  private final boolean keeps;
  private NDManager manager; // guarded by this, with the fields below
  private TeacherKey key;
  private LoadedModel model;
  private String digest;
  private long builds;
  private long reuses;

  private TeacherMemo(boolean keeps) {
    this.keeps = keeps;
  }

  /** A memo that keeps nothing: every job builds its own teacher in its own manager (in process). */
  public static TeacherMemo none() {
    return new TeacherMemo(false);
  }

  /** A memo that keeps the last teacher with a key (the trainer service). */
  public static TeacherMemo keepingTheLast() {
    return new TeacherMemo(true);
  }

  /**
   * Returns the job's teacher: the kept one if its key is {@code key}, else a new one.
   *
   * @param key the job's teacher key, or null when the teacher must be the job's own (no key, or the
   *     job fine-tunes it): it is built in {@code jobManager} and the kept teacher is dropped
   * @param jobManager the job's manager, for a teacher that is not kept
   * @param build builds the teacher in the manager it is given
   * @return the teacher
   */
  public synchronized LoadedModel teacher(TeacherKey key, NDManager jobManager, Function<NDManager, LoadedModel> build) {
    if (!keeps || key == null) {
      clear();
      return build.apply(jobManager);
    }
    if (key.equals(this.key)) {
      reuses++;
      LOG.info("Teacher {} (seed {}) is the one the last job built: not built or hashed again", key.model(), key.seed());
      return model;
    }
    clear();
    NDManager own = NDManager.newBaseManager();
    try {
      LoadedModel built = build.apply(own);
      manager = own;
      this.key = key;
      model = built;
      builds++;
      return built;
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /**
   * Returns a teacher's content digest ({@link ModelDirectory#contentDigest}), computed once for the
   * kept teacher.
   *
   * @param teacher the teacher
   * @return 64 hex digits
   * @throws IOException if serialising the teacher fails
   */
  public synchronized String digest(LoadedModel teacher) throws IOException {
    if (teacher == model && digest != null) {
      return digest;
    }
    String computed = ModelDirectory.contentDigest(teacher);
    if (teacher == model) {
      digest = computed;
    }
    return computed;
  }

  /** Returns how many kept teachers were built. */
  public synchronized long builds() {
    return builds;
  }

  /** Returns how many jobs took the kept teacher. */
  public synchronized long reuses() {
    return reuses;
  }

  /** Drops the kept teacher, if any, and hands its memory back. */
  public synchronized void clear() {
    if (manager != null) {
      manager.close();
      NativeHeap.trim();
    }
    manager = null;
    key = null;
    model = null;
    digest = null;
  }

  /** Drops the kept teacher. */
  @Override
  public void close() {
    clear();
  }
}
