package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.AdamW;
import dev.retort.core.train.BatcherPlan;
import dev.retort.core.train.Checkpoint;
import dev.retort.core.train.LrSchedule;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainableParameter;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resumable training phase of an EfficientBERT student: the {@link PhaseTrainer} counterpart
 * for {@link EfficientBertStudent}s. AdamW with the phase's weight decay, linear warm-up over
 * {@code warmup · total} steps then linear decay, global gradient clipping; resumable checkpoints
 * in {@code dir/checkpoints}, the best model (by the dev evaluation) in {@code dir/best} as an
 * {@link EfficientBertDirectory}.
 *
 * @param name the phase name (checkpoints, events)
 * @param student the trained student
 * @param step the loss of one batch
 * @param plan the batches
 * @param config the phase's training keys
 * @param dir the phase directory
 * @param evaluation the dev evaluation, or null
 * @param listeners progress listeners
 * @param cancelled polled before every step
 * @param seed seeds dropout and the data order
 */
public record EfficientBertPhase(
    String name,
    EfficientBertStudent student,
    StepFunction<Batch> step,
    BatcherPlan plan,
    TrainingConfig config,
    Path dir,
    TrainingLoop.Evaluation evaluation,
    List<TrainingListener> listeners,
    BooleanSupplier cancelled,
    long seed) {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientBertPhase.class);

  /** Copies the listeners. */
  public EfficientBertPhase {
    listeners = List.copyOf(listeners);
  }

  /**
   * Trains, resuming from the newest checkpoint of this phase if there is one.
   *
   * @param manager the manager the student lives in
   * @return the final state
   * @throws IOException if a checkpoint cannot be written
   * @throws JobCancelledException if cancelled before the end (a checkpoint is written first)
   */
  public TrainState run(NDManager manager) throws IOException {
    List<TrainableParameter> params = new ArrayList<>();
    student.model().namedParameters().forEach((n, p) -> {
      if (p.requiresGradient()) {
        params.add(TrainableParameter.of("model." + n, p));
      }
    });
    long total = config.totalSteps(plan.batchesPerEpoch());
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
    try (AdamW optimizer = AdamW.builder().setManager(manager).optWeightDecay((float) config.weightDecay()).build()) {
      TrainState start = TrainState.start(name, seed);
      Optional<Checkpoint> resume = store.latest();
      if (resume.isPresent()) {
        StateDicts.load(student.model(), resume.get().model(), manager, LoadPolicy.STRICT);
        optimizer.load(resume.get().optimizer(), params);
        start = resume.get().state();
        LOG.info("{}: resuming from step {} of {} ({})", name, start.step(), total, store.dir());
      }
      TrainingLoop.CheckpointSink sink = new TrainingLoop.CheckpointSink() {
        @Override
        public Path saveResumable(TrainState state) throws IOException {
          return store.write(new Checkpoint(state, StateDicts.toStateDict(student.model(), name), Map.of(),
              optimizer.state(), new StateDict("none"), Map.of("method", "efficientbert")));
        }

        @Override
        public void saveBest(TrainState state) throws IOException {
          EfficientBertDirectory.write(dir.resolve("best"), student);
        }
      };
      TrainingLoop.Builder<Batch> b = TrainingLoop.<Batch>builder()
          .setPlan(plan)
          .setStep(step)
          .setParameters(params)
          .setOptimizer(optimizer)
          .setLearningRate(config.lr())
          .setTotalSteps(total)
          .setManager(manager)
          .optSchedule(LrSchedule.linearWarmupDecay((long) (config.warmup() * total), total))
          .optMaxGradNorm(config.maxGradNorm())
          .optGradAccumulation(config.gradAccumulation())
          .optLogEvery(config.logEvery())
          .optCancelled(cancelled)
          .optCheckpoints(sink, config.checkpointEvery());
      if (evaluation != null) {
        b.optEvaluation(evaluation, config.evalEvery());
      }
      listeners.forEach(b::addListener);
      TrainState end = b.build().run(start);
      if (end.step() < total && cancelled.getAsBoolean()) {
        sink.saveResumable(end);
        throw new JobCancelledException(name, end.step());
      }
      return end;
    }
  }
}
