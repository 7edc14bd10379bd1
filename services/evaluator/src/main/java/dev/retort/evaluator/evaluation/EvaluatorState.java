package dev.retort.evaluator.evaluation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.run.ModelScore;
import dev.retort.evaluator.config.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the evaluator knows about one job, kept in {@code <job dir>/evaluator.json} so that a
 * restarted evaluator continues where it stopped: per role the best dev value and its checkpoint,
 * the checkpoints already evaluated (a redelivered announcement is not scored again), the measured
 * size and latency, the final score, and the verdicts not yet published: a checkpoint is saved as
 * evaluated before its results go out, so a replica that stops in between, or a publish that fails,
 * leaves its verdict here for the redelivered announcement to publish again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class EvaluatorState {
  /** The file name inside the job directory. */
  public static final String FILE = "evaluator.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The job id. */
  public String jobId;
  /** The state of each role ({@code teacher}, {@code student}). */
  public Map<String, RoleState> roles = new TreeMap<>();
  /** Whether the job's final summary was published. */
  public boolean finished;

  /** What is known about one role of a job. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class RoleState {
    /** The selection metric's name. */
    public String metric;
    /** The best dev value so far; null before the first evaluation. */
    public Double bestValue;
    /** The step of the best checkpoint; -1 before the first evaluation. */
    public long bestStep = -1;
    /** The artifact-store path of the best checkpoint as announced. */
    public String bestPath;
    /**
     * The best checkpoint's scores, so that the job's end scores it on test only; null before the
     * first evaluation, and in a state written before this field existed (then dev is scored
     * again).
     */
    public Scored bestScored;
    /** The weight count, measured on the first checkpoint. */
    public Long parameters;
    /** Checkpoints evaluated: {@code "<step>"}, or {@code "<step>:final"} for a final one. */
    public List<String> evaluated = new ArrayList<>();
    /** The final score (dev and test), once the role's final checkpoint was evaluated. */
    public ModelScore finalScore;
    /** The artifact-store path of the last checkpoint scored, or null. */
    public String lastScoredPath;
    /** Its scores, so that a final announcement of the same checkpoint is not scored again. */
    public Scored lastScored;
    /** Verdicts saved but not yet published, keyed as {@link #evaluated}. */
    public Map<String, Verdict> unpublished = new TreeMap<>();

    /** Returns whether a checkpoint was evaluated. */
    public boolean evaluated(long step, boolean last) {
      return evaluated.contains(key(step, last));
    }

    /** Returns a checkpoint's verdict if it was evaluated but its results not yet published. */
    public Verdict unpublished(long step, boolean last) {
      return unpublished.get(key(step, last));
    }

    /** Keeps a checkpoint's verdict until {@link #published} says its results went out. */
    public void awaitPublishing(long step, boolean last, Verdict verdict) {
      unpublished.put(key(step, last), verdict);
    }

    /** Forgets a checkpoint's verdict once its results were published. */
    public boolean published(long step, boolean last) {
      return unpublished.remove(key(step, last)) != null;
    }

    /** Returns the steps of every evaluated checkpoint. */
    public List<Long> evaluatedSteps() {
      return evaluated.stream().map(k -> Long.parseLong(k.split(":")[0])).toList();
    }

    /**
     * Records an evaluated checkpoint and returns whether it is the best so far (strictly better
     * than every earlier one; the first always is).
     *
     * @param step its step
     * @param last whether it was the role's final checkpoint
     * @param path its artifact-store path
     * @param value its dev selection value
     * @return whether it is the new best
     */
    public boolean record(long step, boolean last, String path, double value) {
      evaluated.add(key(step, last));
      boolean best = bestValue == null || value > bestValue;
      if (best) {
        bestValue = value;
        bestStep = step;
        bestPath = path;
      }
      return best;
    }

    /**
     * Records a scored checkpoint as {@link #record(long, boolean, String, double)} does, and keeps
     * its scores when it is the new best.
     *
     * @param step its step
     * @param last whether it was the role's final checkpoint
     * @param path its artifact-store path
     * @param scored its scores (the dev selection value decides)
     * @return whether it is the new best
     */
    public boolean record(long step, boolean last, String path, Scored scored) {
      boolean best = record(step, last, path, scored.primary());
      if (best) {
        bestScored = scored;
      }
      return best;
    }

    private static String key(long step, boolean last) {
      return last ? step + ":final" : Long.toString(step);
    }
  }

  /** Returns a role's state, created when missing. */
  public RoleState role(String role) {
    return roles.computeIfAbsent(role, r -> new RoleState());
  }

  /**
   * Reads a job's state.
   *
   * @param jobDir the job directory
   * @param jobId the job id
   * @return the state; empty for a job seen for the first time
   * @throws IOException if the file exists but cannot be read
   */
  public static EvaluatorState load(Path jobDir, String jobId) throws IOException {
    Path file = jobDir.resolve(FILE);
    if (!Files.exists(file)) {
      EvaluatorState s = new EvaluatorState();
      s.jobId = jobId;
      return s;
    }
    return JSON.readValue(file.toFile(), EvaluatorState.class);
  }

  /**
   * Writes the state atomically.
   *
   * @param jobDir the job directory
   * @throws IOException if writing fails
   */
  public void save(Path jobDir) throws IOException {
    ArtifactStore.write(jobDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(this));
  }
}
