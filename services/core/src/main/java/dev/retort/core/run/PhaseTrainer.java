package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.AdamW;
import dev.retort.core.train.BatchPlan;
import dev.retort.core.train.BertAdam;
import dev.retort.core.train.Checkpoint;
import dev.retort.core.train.LrSchedule;
import dev.retort.core.train.Optimizer;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainableParameter;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one training phase (teacher fine-tuning, a distillation stage) with checkpoints: resumes
 * from the newest intact checkpoint of the phase if there is one, keeps the best model directory,
 * and writes resumable checkpoints holding the model, the extra modules, the optimiser and the
 * method state.
 *
 * @param <B> the batch type
 */
public final class PhaseTrainer<B> {
  private static final Logger LOG = LoggerFactory.getLogger(PhaseTrainer.class);

  /** Method state a checkpoint carries besides weights and moments. */
  public interface MethodState {
    /** Returns the state. */
    StateDict state();

    /** Restores it. */
    void load(StateDict state);
  }

  private final String phase;
  private final LoadedModel model;
  private final Map<String, HfModule> modules;
  private final StepFunction<B> step;
  private final BatchPlan<B> plan;
  private final TrainingConfig config;
  private final CheckpointStore store;
  private final Path bestDir;
  private final MethodState methodState;
  private final java.util.function.Function<TrainState, Map<String, Double>> evaluation;
  private final List<TrainingListener> listeners;
  private final BooleanSupplier cancelled;
  private final long seed;
  private final Map<String, String> info;

  /**
   * Creates the phase.
   *
   * @param phase the phase name (also seeds the steps)
   * @param model the trained model
   * @param modules extra trained modules (projections) by name
   * @param step the loss of one batch
   * @param plan the batches
   * @param config the training keys
   * @param store where resumable checkpoints go
   * @param bestDir where the best model directory goes
   * @param methodState the method's state for checkpoints
   * @param evaluation dev evaluation returning metrics with {@link TrainingLoop.Evaluation#PRIMARY}
   * @param listeners progress and metrics
   * @param cancelled polled before each step
   * @param seed the job's seed
   * @param info metadata stored in checkpoints
   */
  public PhaseTrainer(
      String phase, LoadedModel model, Map<String, HfModule> modules, StepFunction<B> step, BatchPlan<B> plan,
      TrainingConfig config, CheckpointStore store, Path bestDir, MethodState methodState,
      java.util.function.Function<TrainState, Map<String, Double>> evaluation, List<TrainingListener> listeners, BooleanSupplier cancelled,
      long seed, Map<String, String> info) {
    this.phase = phase;
    this.model = model;
    this.modules = modules;
    this.step = step;
    this.plan = plan;
    this.config = config;
    this.store = store;
    this.bestDir = bestDir;
    this.methodState = methodState;
    this.evaluation = evaluation;
    this.listeners = listeners;
    this.cancelled = cancelled;
    this.seed = seed;
    this.info = info;
  }

  /** Returns the optimiser steps this phase plans. */
  public long totalSteps() {
    return config.totalSteps(plan.batchesPerEpoch());
  }

  /**
   * Trains, resuming if a checkpoint of this phase exists.
   *
   * @param manager the manager the model lives in
   * @return the final state
   * @throws IOException if a checkpoint cannot be written
   */
  public TrainState run(NDManager manager) throws IOException {
    List<TrainableParameter> params = parameters();
    long total = totalSteps();
    try (Optimizer optimizer = optimizer(manager)) {
      TrainState start = TrainState.start(phase, seed);
      Optional<Checkpoint> resume = store.latest();
      if (resume.isPresent()) {
        Checkpoint c = resume.get();
        StateDicts.load(model.model(), c.model(), manager, LoadPolicy.STRICT);
        for (var e : modules.entrySet()) {
          StateDict sd = c.modules().get(e.getKey());
          if (sd != null) {
            StateDicts.load(e.getValue(), sd, manager, LoadPolicy.STRICT);
          }
        }
        optimizer.load(c.optimizer(), params);
        methodState.load(c.method());
        start = c.state();
        LOG.info("{}: resuming from step {} of {} ({})", phase, start.step(), total, store.dir());
      }
      LrSchedule schedule =
          "bert-adam".equals(config.optimizer())
              ? LrSchedule.bertWarmupLinear(config.warmup(), total)
              : LrSchedule.linearWarmupDecay((long) (config.warmup() * total), total);
      TrainingLoop.Builder<B> b =
          TrainingLoop.<B>builder()
              .setPlan(plan)
              .setStep(step)
              .setParameters(params)
              .setOptimizer(optimizer)
              .setLearningRate(config.lr())
              .setTotalSteps(total)
              .setManager(manager)
              .optSchedule(schedule)
              // BertAdam clips every tensor itself; the loop then only measures the norm.
              .optMaxGradNorm("bert-adam".equals(config.optimizer()) ? 0 : config.maxGradNorm())
              .optGradAccumulation(config.gradAccumulation())
              .optLogEvery(config.logEvery())
              .optCancelled(cancelled)
              .optCheckpoints(sink(optimizer), config.checkpointEvery());
      if (evaluation != null) {
        b.optEvaluation(evaluation::apply, config.evalEvery());
      }
      listeners.forEach(b::addListener);
      TrainState end = b.build().run(start);
      if (end.step() < total && cancelled.getAsBoolean()) {
        // Keep the exact position: the next run resumes from this checkpoint.
        sink(optimizer).saveResumable(end);
        throw new JobCancelledException(phase, end.step());
      }
      return end;
    }
  }

  private TrainingLoop.CheckpointSink sink(Optimizer optimizer) {
    return new TrainingLoop.CheckpointSink() {
      @Override
      public Path saveResumable(TrainState state) throws IOException {
        Map<String, StateDict> mods = new LinkedHashMap<>();
        modules.forEach((n, m) -> mods.put(n, StateDicts.toStateDict(m, n)));
        StateDict method = methodState.state();
        method.metadata().put("step", Long.toString(state.step()));
        Checkpoint c = new Checkpoint(
            state, StateDicts.toStateDict(model.model(), phase), mods, optimizer.state(), method, info);
        return store.write(c);
      }

      @Override
      public void saveBest(TrainState state) throws IOException {
        ModelDirectory.write(bestDir, model);
      }
    };
  }

  private List<TrainableParameter> parameters() {
    List<TrainableParameter> out = new ArrayList<>();
    model.model().namedParameters().forEach((n, p) -> {
      if (p.requiresGradient()) {
        out.add(TrainableParameter.of("model." + n, p));
      }
    });
    modules.forEach((mn, m) -> m.namedParameters().forEach((n, p) -> out.add(TrainableParameter.of(mn + "." + n, p))));
    return out;
  }

  private Optimizer optimizer(NDManager manager) {
    if ("bert-adam".equals(config.optimizer())) {
      return BertAdam.builder().setManager(manager).optWeightDecay((float) config.weightDecay())
          .optMaxGradNorm((float) config.maxGradNorm()).build();
    }
    return AdamW.builder().setManager(manager).optWeightDecay((float) config.weightDecay()).build();
  }
}
