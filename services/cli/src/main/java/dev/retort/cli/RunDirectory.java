package dev.retort.cli;

import dev.retort.core.RetortException;
import dev.retort.core.io.AtomicFiles;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.run.CheckpointStore;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.run.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the command line needs to know about a run directory ({@code JobRunner}'s layout): where a
 * resumed run continues, and how to start over safely.
 */
public final class RunDirectory {
  private static final Pattern STEP = Pattern.compile("step-(\\d+)\\.safetensors");

  private final Path dir;

  /**
   * Creates a view of a run directory.
   *
   * @param dir the run directory (may not exist yet)
   */
  public RunDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Returns the run directory a job runs in ({@code output.dir}, else {@code runs/<name>}).
   *
   * @param job the parsed job
   * @param name the job name
   * @return the view
   */
  public static RunDirectory of(ConfigValues job, String name) {
    return new RunDirectory(
        new JobRunner(RunEnvironment.local(List.of(), () -> false)).runDir(job, name));
  }

  /** Work done by a job runner, such as a whole job or the teacher's fine-tuning. */
  @FunctionalInterface
  public interface RunnerWork<T> {
    /**
     * Does the work.
     *
     * @param runner the runner
     * @return its result
     * @throws IOException when reading or writing the run fails
     */
    T apply(JobRunner runner) throws IOException;
  }

  /**
   * Runs work in this process with its progress on {@code err} (resumed phases counted on from
   * their checkpoint's step) and in this directory's {@code events.jsonl}.
   *
   * @param err where progress lines go
   * @param work what to run
   * @param <T> the result
   * @return the work's result
   * @throws IOException when reading or writing the run fails
   */
  public <T> T runHere(PrintWriter err, RunnerWork<T> work) throws IOException {
    try (ProgressListener progress =
        new ProgressListener(err, ProgressListener.interactive(), "", resumeSteps())) {
      var env =
          RunEnvironment.local(
              List.of(progress, new RunLog(dir.resolve("events.jsonl"))), () -> false);
      return work.apply(new JobRunner(env));
    }
  }

  /** Returns the directory. */
  public Path dir() {
    return dir;
  }

  /** Returns whether the teacher of this run has finished fine-tuning ({@code teacher/done}). */
  public boolean teacherDone() {
    return Files.exists(dir.resolve("teacher").resolve("done"));
  }

  /**
   * Returns the step each phase would resume from, by phase name as the training listeners see it;
   * phases without checkpoints are absent. The student's main checkpoints belong to {@code distill}
   * or, in two-stage runs, {@code distill-prediction}.
   */
  public Map<String, Long> resumeSteps() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!teacherDone()) {
      latestStep(dir.resolve("teacher/checkpoints")).ifPresent(s -> out.put("teacher-finetune", s));
    }
    latestStep(dir.resolve("student/intermediate/checkpoints"))
        .ifPresent(s -> out.put("distill-intermediate", s));
    latestStep(dir.resolve("student/checkpoints"))
        .ifPresent(
            s -> {
              out.put("distill", s);
              out.put("distill-prediction", s);
            });
    return out;
  }

  /** Returns one line per resumed part, for the user ("resuming distill from step 40"). */
  public List<String> resumeLines() {
    List<String> lines = new ArrayList<>();
    if (teacherDone()) {
      lines.add("teacher already fine-tuned in " + dir.resolve("teacher") + ", reusing it");
    }
    Map<String, Long> steps = resumeSteps();
    steps.forEach(
        (phase, step) -> {
          if (!phase.equals("distill-prediction")) {
            lines.add("resuming " + phase + " from step " + step + " (" + dir + ")");
          }
        });
    return lines;
  }

  /**
   * Deletes the run directory so that the run starts over. Refuses a directory that does not look
   * like a run directory (no {@code job.json}) unless it is empty.
   *
   * @throws RetortException if the directory is not a run directory
   * @throws IOException if deleting fails
   */
  public void deleteForFreshStart() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    boolean empty;
    try (Stream<Path> s = Files.list(dir)) {
      empty = s.findAny().isEmpty();
    }
    if (!empty && !Files.exists(dir.resolve("job.json"))) {
      throw new RetortException(
          "--fresh",
          dir + " does not look like a retort run directory (it has no job.json)",
          "Delete it yourself or choose another output directory");
    }
    AtomicFiles.deleteTree(dir);
  }

  private static Optional<Long> latestStep(Path checkpoints) {
    List<Path> files = new CheckpointStore(checkpoints, 1).list();
    for (int i = files.size() - 1; i >= 0; i--) {
      Matcher m = STEP.matcher(files.get(i).getFileName().toString());
      if (m.matches()) {
        return Optional.of(Long.parseLong(m.group(1)));
      }
    }
    return Optional.empty();
  }
}
