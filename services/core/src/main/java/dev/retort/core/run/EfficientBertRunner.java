package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.Dataset;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.efficientbert.search.DevScorer;
import dev.retort.core.efficientbert.search.KdSteps;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.model.Taps;
import dev.retort.core.train.BatcherPlan;
import dev.retort.core.train.Lookahead;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job whose student is EfficientBERT ({@code student.ffn-expressions}): loads (and
 * optionally fine-tunes) the teacher like {@link JobRunner}, builds the student with {@link
 * EfficientBertFactory} (optionally inheriting sliced supernet weights), optionally gives it
 * pre-training KD on a corpus ({@link EfficientBertPretraining}), distils it with
 * EfficientBERT's downstream KD (methods.md 3.3/3.5: L = L_attn + L_ffn + L_pred, teacher outputs
 * from the environment's teacher source so that a teacher service computes a shared pass once),
 * scores teacher and best student in this process and writes {@code result.json}.
 *
 * <p>The student is kept as an {@link EfficientBertDirectory} ({@code student/best} and, with
 * {@code output.export}, {@code export/}), which retort reads and transformers loads with the
 * model code it carries ({@code trust_remote_code=True}).
 */
final class EfficientBertRunner {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientBertRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunEnvironment env;
  private final JobRunner jobs;

  EfficientBertRunner(RunEnvironment env, JobRunner jobs) {
    this.env = env;
    this.jobs = jobs;
  }

  JobResult run(ConfigValues job, String name) throws IOException {
    Torch.noGradOnThisThread();
    TaskData task = new TaskResolver(env.paths()).resolve(job);
    Path runDir = jobs.runDir(job, name);
    Files.createDirectories(runDir);
    JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("job.json").toFile(), job.asTree());
    long seed = job.integer("seed");
    List<String> single = List.of("default");
    try (NDManager teacherManager = NDManager.newBaseManager(); NDManager studentManager = NDManager.newBaseManager()) {
      ModelFactory models = new ModelFactory(env.paths(), env.loadOptions());
      LoadedModel teacher = models.teacher(job, task, single, teacherManager);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single, true);
      EncodedDataset train = enc.encode(task.train());
      EncodedDataset dev = enc.encode(task.dev());
      Evaluator evaluator = new Evaluator(task.metric(), JobRunner.EVAL_BATCH, enc.buckets());
      Path teacherDir;
      if (job.bool("teacher.finetune")) {
        teacher = jobs.fineTuneTeacher(job, task, teacher, train, dev, evaluator, runDir.resolve("teacher"), teacherManager);
        teacherDir = runDir.resolve("teacher").resolve("best");
      } else {
        teacherDir = TeacherHandover.handOver(teacher, runDir, JobRunner.sharedTeachers(env));
      }
      ModelScore teacherScore = jobs.teacherScore(teacher, teacherDir, task, enc, evaluator, job, teacherManager);
      LOG.info("Teacher {}: dev {}", teacher.source(), teacherScore.dev());

      EfficientBertStudent student = new EfficientBertFactory(env.paths()).student(job, task, teacher, studentManager);
      checkTeacher(job, student, teacher);
      int teacherLayers = teacher.config().numLayers();
      TrainingConfig tc = TrainingConfig.of(job, "distill.training", Methods.EFFICIENT_BERT);
      Batcher batcher = JobRunner.batcher(train, tc, enc, seed);
      TeacherSelection selection = KdSteps.downstreamSelection(student.model(), teacherLayers);
      String teacherRef = env.modelRef().apply(teacherDir);
      String passKey = JobRunner.passKey(job, task, teacher, teacherRef, selection, tc);
      DevScorer scorer = new DevScorer(task.metric(), 64, enc.buckets());
      DevScoreLog devLog = new DevScoreLog();
      TrainingLoop.Evaluation devEval = state -> {
        MetricSet m = scorer.evaluate(student.model(), student.model().arch(), dev, studentManager);
        devLog.record(state, m);
        Map<String, Double> out = new LinkedHashMap<>(m.byKey());
        out.put(TrainingLoop.Evaluation.PRIMARY, m.selection());
        return out;
      };
      Path studentDir = runDir.resolve("student");
      EfficientBertPretraining pretraining = new EfficientBertPretraining(job, env.paths(), models);
      if (pretraining.enabled()) {
        if (new CheckpointStore(studentDir.resolve("checkpoints"), 2).latest().isPresent()) {
          LOG.info("Pre-training KD skipped: downstream KD resumes from its checkpoint");
        } else {
          pretraining.run(student, teacher, task, tc.batchSize(), env.cancelled(), studentManager);
        }
      }
      BatcherPlan plan = new BatcherPlan(batcher);
      TrainState end;
      try (TeacherSource source = new PrefetchingTeacherSource(
          env.teachers().create(teacher, selection, job.bool("teacher.dropout"),
              new RunEnvironment.TeacherContext(name, teacherRef, passKey, 0)),
          new Lookahead<>(plan, job.intValue("platform.prefetch"), tc.totalBatches(plan.batchesPerEpoch())))) {
        end = new EfficientBertPhase("distill", student,
            KdSteps.downstream(source, teacherLayers, student.model(), task.regression()),
            plan, tc, studentDir, devEval, env.listeners(), env.cancelled(), seed)
            .run(studentManager);
      }
      Path best = studentDir.resolve("best");
      boolean hasBest = EfficientBertDirectory.isEfficientBertDirectory(best);
      EfficientBertStudent bestStudent = hasBest ? EfficientBertDirectory.read(best, studentManager) : student;
      MetricSet knownDev = hasBest ? devLog.best(end).orElse(null) : null;
      ModelScore studentScore = score(bestStudent, task, enc, scorer, job, studentManager, knownDev);
      // The speed-up's two latencies, measured together as the evaluator service measures them.
      LoadedModel t = teacher;
      Latency.Pair latency = Latency.pairedMedianMillis(
          (ps, in) -> t.model().forward(ps, in, Taps.NONE, false).logits(),
          (ps, in) -> bestStudent.model().forward(ps, in, Taps.NONE, false).logits(),
          job.intValue("task.max-length"), JobRunner.LATENCY_WARMUP, JobRunner.LATENCY_RUNS);
      teacherScore = teacherScore.withLatencyMs(latency.firstMillis());
      studentScore = studentScore.withLatencyMs(latency.secondMillis());
      Path export = null;
      if (job.bool("output.export")) {
        export = runDir.resolve("export");
        EfficientBertDirectory.write(export, bestStudent);
        LOG.info("Exported the EfficientBERT student to {} (transformers loads it with trust_remote_code=True)",
            export);
      }
      JobResult result = new JobResult(name, Methods.EFFICIENT_BERT, teacherScore, studentScore, runDir, export);
      JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("result.json").toFile(), result);
      return result;
    }
  }

  /**
   * Scores the student on dev (unless its dev scores are known) and on a labelled test split; the
   * latency is left NaN, for the caller to measure beside the teacher's.
   */
  private static ModelScore score(EfficientBertStudent s, TaskData task, EncodedTask enc, DevScorer scorer,
      ConfigValues job, NDManager manager, MetricSet knownDev) {
    MetricSet dev = knownDev != null
        ? knownDev : scorer.evaluate(s.model(), s.model().arch(), enc.encode(task.dev()), manager);
    Map<String, Double> test = Map.of();
    Dataset t = task.test();
    if (job.bool("task.evaluate-test") && t.size() > 0 && t.isLabelled()) {
      test = scorer.evaluate(s.model(), s.model().arch(), enc.encode(t), manager).byKey();
    }
    return new ModelScore("student", dev.selectBy().key(), dev.byKey(), test, s.parameters(), Double.NaN);
  }

  private static void checkTeacher(ConfigValues job, EfficientBertStudent s, LoadedModel teacher) {
    int heads = teacher.config().numHeads();
    if (s.model().arch().numHeads() != heads) {
      throw new RetortException(job.source() + " key 'student.heads'",
          "attention distillation needs the teacher's head count " + heads + ", the student has " + s.model().arch().numHeads(),
          "Give the student " + heads + " heads (its hidden size must be a multiple)");
    }
    int n = teacher.config().numLayers();
    if (n % s.model().arch().numLayers() != 0) {
      throw new RetortException(job.source() + " key 'student.ffn-expressions'",
          "the teacher has " + n + " layers, not a multiple of the student's " + s.model().arch().numLayers(),
          "Give a number of expressions (layers) that divides " + n);
    }
  }
}
