package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.efficientbert.SupernetSlicer;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Scores a candidate of stages 1 and 2 the way the reference does (methods.md 3.4): the candidate
 * inherits its weights from the warmed-up supernet ({@link SupernetSlicer}: the first A FFNs of
 * each layer and their first m inner units), gets a fresh head, is trained with a short
 * pre-training KD and then downstream KD on the task, and its fitness is the best metric on the
 * held-out tail of the training split ({@link SearchData#heldOut}, the reference's last 1% of
 * train) seen during downstream KD. Dev is not used.
 *
 * <p>The result depends only on the spec: weights come from the fixed supernet checkpoint, the
 * head, dropout and data order from the spec's seed. Failures (an expression that does not run, a
 * NaN loss) are thrown to the controller, which records fitness 0.
 */
public final class KdCandidateEvaluator implements CandidateEvaluator {
  private final EfficientBertArch dims;
  private final StateDict supernetWeights;
  private final Map<String, ai.djl.ndarray.types.Shape> supernetShapes;
  private final SearchTeachers teachers;
  private final SearchData data;
  private final KdProtocol protocol;
  private final DevScorer scorer;
  private final BooleanSupplier cancelled;

  /**
   * Creates the evaluator.
   *
   * @param dims the supernet's dimensions and layer count
   * @param supernetWeights the warmed-up supernet's weights
   * @param teachers the pre-training and task teachers
   * @param data the task and corpus
   * @param protocol the training of each candidate
   * @param cancelled polled before every training step
   */
  public KdCandidateEvaluator(
      EfficientBertArch dims,
      StateDict supernetWeights,
      SearchTeachers teachers,
      SearchData data,
      KdProtocol protocol,
      BooleanSupplier cancelled) {
    this.dims = dims;
    this.supernetWeights = supernetWeights;
    this.supernetShapes = new Supernet(dims, protocol.options()).model().declaredShapes();
    this.teachers = teachers;
    this.data = data;
    this.protocol = protocol;
    this.scorer = new DevScorer(data.metric(), 64, data.buckets());
    this.cancelled = cancelled;
  }

  /** {@inheritDoc} */
  @Override
  public Fitness evaluate(CandidateSpec spec) {
    long t0 = System.nanoTime();
    EfficientBertArch arch = dims.withLayerExpressions(spec.layers());
    try (NDManager manager = NDManager.newBaseManager()) {
      EfficientBertModel model = new EfficientBertModel(arch, protocol.options(), data.head());
      StateDict inherited =
          SupernetSlicer.slice(
              supernetWeights,
              SupernetSlicer.plan(
                  supernetShapes, dims.numLayers(), model.declaredShapes(), arch.numLayers()));
      Torch.seed(spec.seed());
      StateDicts.load(model, inherited, manager, EfficientBertModel.ENCODER_WEIGHTS);
      if (protocol.pretrainSteps() > 0) {
        KdTraining.run(
            "candidate-pretrain",
            model,
            KdSteps.pretraining(
                teachers.pretraining(), teachers.pretrainingLayers(), model, s -> arch),
            data.corpus(),
            null,
            protocol.batchSize(),
            protocol.pretrainSteps(),
            protocol.pretrainLr(),
            spec.seed(),
            manager,
            null,
            0,
            cancelled);
      }
      TrainingLoop.Evaluation heldOut =
          state -> {
            var m = scorer.evaluate(model, arch, data.heldOut(), manager);
            Map<String, Double> out = new LinkedHashMap<>(m.byKey());
            out.put(TrainingLoop.Evaluation.PRIMARY, m.selection());
            return out;
          };
      TrainState end =
          KdTraining.run(
              "candidate-finetune",
              model,
              KdSteps.downstream(
                  teachers.task(),
                  teachers.taskLayers(),
                  model,
                  s -> arch,
                  data.head().regression()),
              data.train(),
              data.buckets(),
              protocol.batchSize(),
              protocol.steps(),
              protocol.lr(),
              spec.seed(),
              manager,
              heldOut,
              protocol.evalEvery(),
              cancelled);
      if (cancelled.getAsBoolean()) {
        throw new CandidateCancelledException(spec.index());
      }
      double best =
          Double.isNaN(end.bestValue())
              ? scorer.evaluate(model, arch, data.heldOut(), manager).selection()
              : end.bestValue();
      return Fitness.ok(best, arch.paramCount(), (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Returns the settings that shape the fitness, for the state-file fingerprint. */
  @Override
  public String describe() {
    return "kd "
        + protocol
        + " train="
        + data.train().size()
        + " heldout="
        + data.heldOut().size()
        + " corpus="
        + (data.corpus() == null ? 0 : data.corpus().size());
  }
}
