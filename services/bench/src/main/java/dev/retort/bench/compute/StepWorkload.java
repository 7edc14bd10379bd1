package dev.retort.bench.compute;

import ai.djl.ndarray.NDManager;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.BenchSettings.StepShape;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.EmdObjective;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.run.Methods;
import dev.retort.core.train.StepTimer;

/**
 * The models and the batch of the step and teacher figures: a randomly initialised teacher of a
 * preset shape (BERT-base in the full run: only the shape matters for time), a randomly initialised
 * student, BERT-EMD's objective with the job defaults and the in-process transport solver, and one
 * synthetic B×L batch without padding. The teacher outputs the step is given are computed once, by
 * the first teacher pass.
 */
public final class StepWorkload implements AutoCloseable {
  /** Classes of the heads (the sample data's three labels). */
  public static final int CLASSES = 3;

  private final StepShape shape;
  private final NDManager teacherManager;
  private final NDManager studentManager;
  private final NDManager outputsManager;
  private final BertForSequenceClassification teacher;
  private final BertForSequenceClassification student;
  private final DistillationObjective objective;
  private final LocalTeacher localTeacher;
  private final Batch batch;
  private TeacherOutputs given;
  private int teacherPasses;

  private StepWorkload(StepShape shape, long seed) {
    this.shape = shape;
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.preset(shape.teacherPreset());
    BertConfig sc =
        BertConfig.preset(shape.studentPreset()).toBuilder().setVocabSize(tc.vocabSize()).build();
    teacherManager = NDManager.newBaseManager();
    studentManager = NDManager.newBaseManager();
    outputsManager = NDManager.newBaseManager();
    teacher = new BertForSequenceClassification(tc, HeadConfig.forClassification(CLASSES));
    Torch.seed(seed);
    teacher.initializeParameters(teacherManager);
    student = new BertForSequenceClassification(sc, HeadConfig.forClassification(CLASSES));
    Torch.seed(seed + 1);
    student.initializeParameters(studentManager);
    objective =
        Methods.objective(
            BenchJobs.method(EmdObjective.NAME, "preset:" + shape.teacherPreset()),
            sc,
            tc,
            false,
            Methods.localTransport());
    Torch.seed(seed + 2);
    for (HfModule m : objective.modules().values()) {
      m.initializeParameters(studentManager);
    }
    localTeacher = new LocalTeacher(teacher, objective.teacherSelection(), false);
    batch = SyntheticBatch.of(shape.batch(), shape.length(), tc.vocabSize(), CLASSES, seed + 3);
  }

  /**
   * Builds the workload.
   *
   * @param shape the shapes
   * @param seed seeds weights and tokens
   * @return the workload
   */
  public static StepWorkload create(StepShape shape, long seed) {
    return new StepWorkload(shape, seed);
  }

  /** Returns the shapes. */
  public StepShape shape() {
    return shape;
  }

  /** Returns the student. */
  public BertForSequenceClassification student() {
    return student;
  }

  /** Returns the teacher. */
  public BertForSequenceClassification teacher() {
    return teacher;
  }

  /** Returns BERT-EMD's objective. */
  public DistillationObjective objective() {
    return objective;
  }

  /** Returns the batch. */
  public Batch batch() {
    return batch;
  }

  /** Returns the manager of the student's weights (and of the projection). */
  public NDManager studentManager() {
    return studentManager;
  }

  /** Returns how many teacher passes ran so far (warm-up of the teacher figure). */
  public int teacherPasses() {
    return teacherPasses;
  }

  /**
   * Runs the teacher once on the batch, without gradients, keeping what BERT-EMD needs (every
   * hidden state, every layer's scores, the logits), and frees the outputs.
   *
   * @return the wall time in seconds
   */
  public double timeTeacherPass() {
    try (NDManager pass = outputsManager.newSubManager()) {
      StepTimer timer = new StepTimer();
      long t0 = System.nanoTime();
      localTeacher.outputs(batch, pass, timer);
      teacherPasses++;
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /**
   * Returns the teacher outputs every step is given, computing them on first use.
   *
   * @return the outputs, in a manager that lives as long as this workload
   */
  public TeacherOutputs given() {
    if (given == null) {
      given = localTeacher.outputs(batch, outputsManager, new StepTimer());
      teacherPasses++;
    }
    return given;
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    outputsManager.close();
    studentManager.close();
    teacherManager.close();
  }
}
