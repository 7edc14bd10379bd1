package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.PredictionLoss;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.PretrainingKdObjective;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.StepTimer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The two distillation steps of EfficientBERT's search (methods.md 3.3), for an {@link
 * EfficientBertModel} run with a chosen architecture at every step (its own, or a sub-architecture
 * of supernet weights).
 *
 * <pre>
 * pre-training KD (teacher: pre-trained BERT):   L = L_attn + L_ffn                  ({@link PretrainingKdObjective})
 * downstream KD (teacher: fine-tuned on task):   L = L_attn + L_ffn + L_pred
 *   L_pred = mean_{b,c}[ -softmax(z^T) . log_softmax(z^S) ]    (T = 1, no T²)
 *   regression: L_pred = MSE(z^S, gold)
 * </pre>
 *
 * The teacher runs without gradients and with dropout off.
 */
public final class KdSteps {
  private KdSteps() {}

  /**
   * Returns the pre-training KD step.
   *
   * @param teacher a pre-trained encoder with as many heads as the student; layer k·l is taught to
   *     student layer l
   * @param teacherLayers N, a multiple of the student's layer count
   * @param student the student (or supernet) model
   * @param arch the architecture to run at each step
   * @return the step
   */
  public static StepFunction<Batch> pretraining(
      HfModule teacher,
      int teacherLayers,
      EfficientBertModel student,
      LongFunction<EfficientBertArch> arch) {
    PretrainingKdObjective hid = PretrainingKdObjective.forStudent(student, teacherLayers);
    return (batch, manager, state, timer) -> {
      BertInput in = input(batch, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      BertOutputs t = teacherPass(teacher, ps, in, timer);
      BertOutputs s = student.forward(ps, in, arch.apply(state.step()), Taps.DISTILLATION, true);
      return hid.compute(ps, s, t, true);
    };
  }

  /**
   * Returns the downstream KD step.
   *
   * @param teacher the task's fine-tuned teacher, returning logits
   * @param teacherLayers N
   * @param student the student (or supernet) model, with a head
   * @param arch the architecture to run at each step
   * @param regression whether the task is regression (then L_pred is the MSE to the gold score)
   * @return the step
   */
  public static StepFunction<Batch> downstream(
      HfModule teacher,
      int teacherLayers,
      EfficientBertModel student,
      LongFunction<EfficientBertArch> arch,
      boolean regression) {
    PretrainingKdObjective hid = PretrainingKdObjective.forStudent(student, teacherLayers);
    PredictionLoss pred = predictionLoss(regression);
    return (batch, manager, state, timer) -> {
      BertInput in = input(batch, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      BertOutputs t = teacherPass(teacher, ps, in, timer);
      BertOutputs s = student.forward(ps, in, arch.apply(state.step()), Taps.DISTILLATION, true, 0);
      LossBreakdown h = hid.compute(ps, s, t, true);
      LossBreakdown p =
          pred.compute(s.logits(), t.logits(), DistillationStep.labels(batch, manager));
      Map<String, NDArray> terms = new LinkedHashMap<>(h.terms());
      terms.putAll(p.terms());
      return new LossBreakdown(h.total().add(p.total()), terms);
    };
  }

  /**
   * Returns the downstream KD step fed by a teacher source (in-process or the teacher service), for
   * training a final student with {@code retort distill}: the same L = L_attn + L_ffn + L_pred as
   * {@link #downstream(HfModule, int, EfficientBertModel, LongFunction, boolean)}.
   *
   * @param teacher supplies {@link #downstreamSelection} of each batch
   * @param teacherLayers N, a multiple of the student's layer count
   * @param student the student, with a head, run with its own architecture
   * @param regression whether the task is regression (then L_pred is the MSE to the gold score)
   * @return the step
   */
  public static StepFunction<Batch> downstream(
      TeacherSource teacher, int teacherLayers, EfficientBertModel student, boolean regression) {
    PretrainingKdObjective hid = PretrainingKdObjective.forStudent(student, teacherLayers);
    PredictionLoss pred = predictionLoss(regression);
    return (batch, manager, state, timer) -> {
      BertInput in = input(batch, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      TeacherOutputs t = teacher.outputs(batch, manager, timer);
      BertOutputs s = student.forward(ps, in, student.arch(), Taps.DISTILLATION, true, 0);
      LossBreakdown h = hid.compute(ps, s, t, true);
      LossBreakdown p = pred.compute(s.logits(), t.logits(), DistillationStep.labels(batch, manager));
      Map<String, NDArray> terms = new LinkedHashMap<>(h.terms());
      terms.putAll(p.terms());
      return new LossBreakdown(h.total().add(p.total()), terms);
    };
  }

  /**
   * Returns what the downstream KD step reads from the teacher: the embedding output, the hidden
   * states and attention scores of teacher layers k·l, and the logits.
   *
   * @param student the student
   * @param teacherLayers N
   * @return the selection
   */
  public static TeacherSelection downstreamSelection(EfficientBertModel student, int teacherLayers) {
    TeacherSelection s = PretrainingKdObjective.forStudent(student, teacherLayers).teacherSelection();
    return new TeacherSelection(s.hiddenLayers(), s.scoreLayers(), true);
  }

  private static PredictionLoss predictionLoss(boolean regression) {
    return new PredictionLoss(
        regression, 1f, new SoftCrossEntropy(1f, false, 1f), PredictionLoss.RegressionTarget.GOLD);
  }

  private static BertInput input(Batch batch, NDManager manager) {
    return BertInput.of(manager, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
  }

  /** Runs the teacher without recording gradients; BERT models and classifiers alike. */
  private static BertOutputs teacherPass(
      HfModule teacher, ParameterStore ps, BertInput in, StepTimer timer) {
    long t0 = System.nanoTime();
    boolean grad = Torch.gradModeOnThisThread();
    Torch.noGradOnThisThread();
    try {
      if (teacher instanceof dev.retort.core.model.BertForSequenceClassification c) {
        return c.forward(ps, in, Taps.DISTILLATION, false);
      }
      if (teacher instanceof dev.retort.core.model.BertModel m) {
        return m.forward(ps, in, Taps.DISTILLATION, false);
      }
      throw new IllegalArgumentException(
          "the teacher must be a BERT model, got " + teacher.getClass());
    } finally {
      Torch.setGradMode(grad);
      timer.add(StepTimer.TEACHER, System.nanoTime() - t0);
    }
  }
}
