package dev.retort.cli;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobSchema;
import dev.retort.core.run.JobResult;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.ModelScore;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.run.TeacherResult;
import dev.retort.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Runs one job with several distillation methods on equal terms: the teacher is fine-tuned once (in
 * {@code <output>/teacher}, reused when already done) and every method then distils from that same
 * teacher directory, with the job's seed, student and data, each in {@code <output>/<method>}. A
 * method the job does not suit is reported as not applicable and a method that fails is reported as
 * failed; the others still run.
 */
public final class MethodComparison {
  /** What happened to one method. */
  public enum Status {
    /** The run finished. */
    OK,
    /** The job does not suit the method (a {@link RetortException}). */
    BAD_INPUT,
    /** The run crashed. */
    FAILED
  }

  /**
   * One method's row.
   *
   * @param method the method
   * @param status what happened
   * @param student the best student's score, or null unless {@link Status#OK}
   * @param wallSeconds the wall time of this invocation's run
   * @param runDir the method's run directory
   * @param message why it did not finish, or null
   */
  public record Row(
      String method,
      Status status,
      ModelScore student,
      double wallSeconds,
      Path runDir,
      String message) {}

  /**
   * The comparison.
   *
   * @param teacher the teacher's score
   * @param teacherRef the model reference every method distilled from
   * @param rows one row per method, in the order asked for
   */
  public record Outcome(ModelScore teacher, String teacherRef, List<Row> rows) {}

  private final BiFunction<String, RunDirectory, List<TrainingListener>> listeners;

  /**
   * Creates a comparison.
   *
   * @param listeners the listeners of one run, given its label and run directory; those that are
   *     {@link AutoCloseable} are closed when the run ends
   */
  public MethodComparison(BiFunction<String, RunDirectory, List<TrainingListener>> listeners) {
    this.listeners = listeners;
  }

  /**
   * Checks a list of method names against the schema.
   *
   * @param methods the names
   * @throws RetortException naming the first unknown method
   */
  public static void checkMethods(List<String> methods) {
    if (methods.isEmpty()) {
      throw new RetortException(
          "--methods", "no methods given", "List methods, e.g. --methods none,logits-kd,bert-emd");
    }
    for (String m : methods) {
      if (!JobSchema.METHODS.contains(m)) {
        throw new RetortException(
            "--methods",
            "unknown method '" + m + "'",
            "Known methods: " + String.join(", ", JobSchema.METHODS));
      }
    }
  }

  /**
   * Runs the comparison.
   *
   * @param job the parsed job
   * @param name the job name
   * @param methods the methods, checked with {@link #checkMethods}
   * @param output the comparison directory
   * @return the rows
   * @throws IOException if the teacher's run files cannot be written
   */
  public Outcome run(ConfigValues job, String name, List<String> methods, Path output)
      throws IOException {
    checkMethods(methods);
    Path out = output.toAbsolutePath().normalize();
    ModelScore teacherScore = null;
    String teacherRef = job.str("teacher.model");
    if (job.bool("teacher.finetune")) {
      Path teacherRun = out.resolve("teacher");
      RunDirectory rd = new RunDirectory(teacherRun);
      ConfigValues tj = JobFiles.withOverrides(job, Map.of("output.dir", teacherRun.toString()));
      List<TrainingListener> ls = listeners.apply("teacher", rd);
      TeacherResult tr;
      try {
        tr = runner(ls).fineTuneTeacherOnly(tj, name + "-teacher");
      } finally {
        close(ls);
      }
      teacherScore = tr.score();
      teacherRef = "checkpoint:" + tr.bestDir();
    }
    List<Row> rows = new ArrayList<>();
    for (String method : methods) {
      Path runDir = out.resolve(method);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", name + "-" + method);
      o.put("teacher.model", teacherRef);
      o.put("teacher.finetune", false);
      o.put("distill.method", method);
      o.put("output.dir", runDir.toString());
      ConfigValues mj = JobFiles.withOverrides(job, o);
      long t0 = System.nanoTime();
      List<TrainingListener> ls = listeners.apply(method, new RunDirectory(runDir));
      try {
        JobResult r = runner(ls).run(mj, name + "-" + method);
        teacherScore = teacherScore != null ? teacherScore : r.teacher();
        rows.add(new Row(method, Status.OK, r.student(), seconds(t0), runDir, null));
      } catch (RuntimeException e) {
        RetortException bad = ExitCodes.userError(e);
        rows.add(
            new Row(
                method,
                bad != null ? Status.BAD_INPUT : Status.FAILED,
                null,
                seconds(t0),
                runDir,
                bad != null ? bad.getMessage() : e.toString()));
      } finally {
        close(ls);
      }
    }
    return new Outcome(teacherScore, teacherRef, rows);
  }

  private static JobRunner runner(List<TrainingListener> ls) {
    return new JobRunner(RunEnvironment.local(ls, () -> false));
  }

  private static void close(List<TrainingListener> ls) {
    for (TrainingListener l : ls) {
      if (l instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + l, e);
        }
      }
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
