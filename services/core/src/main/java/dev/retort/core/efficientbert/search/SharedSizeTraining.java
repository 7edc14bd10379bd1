package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.SeededRandom;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Trains the weight-sharing supernet of stage 3 once (reference {@code ffn_search.py:366-400}):
 * starting from the warmed-up supernet, every step runs a random size vector within the budget,
 * with the operators fixed to the stage-2 best, first with pre-training KD, then with downstream KD
 * on the task with a head ({@link SearchData#train}: the training split without the held-out tail
 * the candidates are scored on, as the reference trains on the first 90% of train). Afterwards any
 * size vector is scored on these weights without further training ({@link
 * SharedWeightEvaluator}).
 *
 * <p>The reference fine-tunes multi-task on 8 GLUE tasks with one head each; here the job's single
 * task is used. The size vector of step s is drawn from (seed, phase, s), so the training is
 * reproducible.
 */
public final class SharedSizeTraining {
  private SharedSizeTraining() {}

  /**
   * Builds the supernet with a head, loads the warm-up weights and trains it.
   *
   * @param sizes the stage-3 space: operators fixed, sizes drawn within its budget
   * @param warm the warmed-up supernet weights
   * @param teachers the pre-training and task teachers
   * @param data the task and corpus
   * @param protocol pre-training and downstream step counts, batch size, learning rates
   * @param seed seeds the head, the data order, dropout and the size vectors
   * @param manager the manager the returned model lives in
   * @param cancelled polled before every step
   * @return the trained supernet with its head
   */
  public static EfficientBertModel train(
      SearchSpace sizes,
      StateDict warm,
      SearchTeachers teachers,
      SearchData data,
      KdProtocol protocol,
      long seed,
      NDManager manager,
      BooleanSupplier cancelled) {
    if (sizes.stage() != SearchStage.SIZES) {
      throw new IllegalArgumentException("size-sharing training needs a stage-3 space");
    }
    EfficientBertModel model = emptyModel(sizes.dims(), protocol, data);
    Torch.seed(seed);
    StateDicts.load(model, warm, manager, EfficientBertModel.ENCODER_WEIGHTS);
    if (protocol.pretrainSteps() > 0) {
      KdTraining.run(
          "stage3-pretrain",
          model,
          KdSteps.pretraining(
              teachers.pretraining(),
              teachers.pretrainingLayers(),
              model,
              archs(sizes, model.arch(), seed, 1)),
          data.corpus(),
          null,
          protocol.batchSize(),
          protocol.pretrainSteps(),
          protocol.pretrainLr(),
          seed,
          manager,
          null,
          0,
          cancelled);
    }
    KdTraining.run(
        "stage3-finetune",
        model,
        KdSteps.downstream(
            teachers.task(),
            teachers.taskLayers(),
            model,
            archs(sizes, model.arch(), seed, 2),
            data.head().regression()),
        data.train(),
        data.buckets(),
        protocol.batchSize(),
        protocol.steps(),
        protocol.lr(),
        seed,
        manager,
        null,
        0,
        cancelled);
    return model;
  }

  /**
   * Returns an uninitialised stage-3 supernet with the task's head, to load saved weights into.
   *
   * @param dims the supernet's dimensions
   * @param protocol supplies the model options
   * @param data supplies the head
   * @return the model
   */
  public static EfficientBertModel emptyModel(
      EfficientBertArch dims, KdProtocol protocol, SearchData data) {
    return new EfficientBertModel(Supernet.largestOf(dims), protocol.options(), data.head());
  }

  private static LongFunction<EfficientBertArch> archs(
      SearchSpace sizes, EfficientBertArch full, long seed, long phase) {
    return step -> {
      Random rnd = new Random(SeededRandom.of(seed, phase, step).nextLong());
      List<Expr> layers =
          sizes
              .sample(rnd)
              .orElseThrow(
                  () ->
                      new RetortException(
                          "stage-3 size sampling",
                          "no size vector within the budget was found",
                          "Widen search.budget-min-params / budget-max-params"));
      return full.withLayerExpressions(layers);
    };
  }
}
