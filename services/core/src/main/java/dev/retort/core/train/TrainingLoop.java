package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.engine.Scalars;
import dev.retort.core.engine.Torch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The explicit training loop every phase runs: teacher fine-tuning, distillation, supernet
 * warm-up.
 *
 * <p>One optimiser step takes {@code gradAccumulation} consecutive batches of the plan. Before the
 * step the engine is reseeded from {@code (seed, phase, step)}; each micro-batch's loss is
 * back-propagated (scaled by 1/k), the gradients are clipped, the optimiser applies the learning
 * rate of the schedule, and the gradients are cleared. A NaN or infinite loss or gradient stops
 * the run before the update is applied. Evaluation and checkpoints happen at the configured
 * intervals; side effects go to {@link TrainingListener}s.
 *
 * <p>Exact resume: the state after a step, the weights, the optimiser moments and the method state
 * determine everything that follows, so running N steps equals running k, checkpointing, loading
 * and running N − k.
 *
 * @param <B> the batch type
 */
public final class TrainingLoop<B> {
  /** Evaluates the current weights on dev. */
  public interface Evaluation {
    /**
     * Evaluates.
     *
     * @param state the state whose weights are evaluated
     * @return every metric and, under the key {@link #PRIMARY}, the value the run selects by; no
     *     {@link #PRIMARY} when the evaluation happens elsewhere
     */
    Map<String, Double> evaluate(TrainState state);

    /** The key of the selection value in {@link #evaluate()}'s result. */
    String PRIMARY = "__primary__";
  }

  /** Persists the run. */
  public interface CheckpointSink {
    /**
     * Writes a resumable checkpoint of the current weights, optimiser and method state.
     *
     * @param state the state to record
     * @return where it was written
     */
    java.nio.file.Path saveResumable(TrainState state) throws java.io.IOException;

    /**
     * Keeps the current weights as the best model so far.
     *
     * @param state the state at which they were evaluated
     */
    void saveBest(TrainState state) throws java.io.IOException;
  }

  private final BatchPlan<B> plan;
  private final StepFunction<B> step;
  private final List<TrainableParameter> params;
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final double baseLr;
  private final double maxGradNorm;
  private final int gradAccumulation;
  private final long totalSteps;
  private final long evalEvery;
  private final long checkpointEvery;
  private final long logEvery;
  private final Evaluation evaluation;
  private final CheckpointSink checkpoints;
  private final List<TrainingListener> listeners;
  private final BooleanSupplier cancelled;
  private final NDManager manager;

  private TrainingLoop(Builder<B> b) {
    this.plan = b.plan;
    this.step = b.step;
    this.params = List.copyOf(b.params);
    this.optimizer = b.optimizer;
    this.schedule = b.schedule;
    this.baseLr = b.baseLr;
    this.maxGradNorm = b.maxGradNorm;
    this.gradAccumulation = b.gradAccumulation;
    this.totalSteps = b.totalSteps;
    this.evalEvery = b.evalEvery;
    this.checkpointEvery = b.checkpointEvery;
    this.logEvery = b.logEvery;
    this.evaluation = b.evaluation;
    this.checkpoints = b.checkpoints;
    this.listeners = List.copyOf(b.listeners);
    this.cancelled = b.cancelled;
    this.manager = b.manager;
  }

  /** Returns a builder. */
  public static <B> Builder<B> builder() {
    return new Builder<>();
  }

  /** Returns the number of optimiser steps the plan allows. */
  public long totalSteps() {
    return totalSteps;
  }

  /**
   * Trains from {@code start} until the planned steps are done or the run is cancelled.
   *
   * @param start the state to continue from ({@link TrainState#start} for a fresh run)
   * @return the final state
   * @throws TrainingDivergedException if a loss or gradient becomes non-finite
   * @throws java.io.IOException if a checkpoint cannot be written
   */
  public TrainState run(TrainState start) throws java.io.IOException {
    TrainState state = start;
    StepTimer timer = new StepTimer();
    while (state.step() < totalSteps) {
      if (cancelled.getAsBoolean()) {
        break;
      }
      state = oneStep(state, timer);
      boolean evalNow = evalEvery > 0 && state.step() % evalEvery == 0;
      boolean lastStep = state.step() >= totalSteps;
      boolean epochEnd = state.batchInEpoch() == 0;
      if (evaluation != null && (evalNow || lastStep || (evalEvery == 0 && epochEnd))) {
        state = evaluate(state);
      }
      boolean ckptNow =
          checkpointEvery > 0 ? state.step() % checkpointEvery == 0 : (evalNow || lastStep || (evalEvery == 0 && epochEnd));
      if (checkpoints != null && (ckptNow || lastStep)) {
        long c0 = System.nanoTime();
        var path = checkpoints.saveResumable(state);
        double seconds = (System.nanoTime() - c0) / 1e9;
        for (TrainingListener l : listeners) {
          l.onCheckpoint(state, path, seconds);
        }
      }
    }
    return state;
  }

  private TrainState oneStep(TrainState state, StepTimer timer) {
    timer.reset();
    long t0 = System.nanoTime();
    Torch.seed(state.stepSeed());
    int epoch = state.epoch();
    long index = state.batchInEpoch();
    int examples = 0;
    Map<String, Double> terms = new LinkedHashMap<>();
    double total = 0;
    try (NDManager stepManager = manager.newSubManager()) {
      // Any op whose first operand is a weight allocates in the step's manager, not the weights'.
      for (TrainableParameter p : params) {
        stepManager.tempAttachAll(p.array());
      }
      for (int micro = 0; micro < gradAccumulation; micro++) {
        B batch = plan.batch(epoch, (int) index);
        examples += plan.examples(batch);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
          long f0 = System.nanoTime();
          LossBreakdown loss = step.loss(batch, stepManager, state, timer);
          NDArray scaled = gradAccumulation == 1 ? loss.total() : Scalars.div(loss.total(), gradAccumulation);
          double value = loss.totalValue();
          timer.add(StepTimer.FORWARD, System.nanoTime() - f0);
          if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(state.phase(), state.step(), "the loss (" + value + ")");
          }
          total += value / gradAccumulation;
          loss.values().forEach((k, v) -> terms.merge(k, v / gradAccumulation, Double::sum));
          long b0 = System.nanoTime();
          gc.backward(scaled);
          timer.add(StepTimer.BACKWARD, System.nanoTime() - b0);
        }
        index++;
        if (index >= plan.batchesPerEpoch()) {
          index = 0;
          epoch++;
        }
      }
      long o0 = System.nanoTime();
      double gradNorm = GradientClipping.clipGlobalNorm(params, maxGradNorm);
      if (!Double.isFinite(gradNorm)) {
        zeroGrads();
        throw new TrainingDivergedException(state.phase(), state.step(), "the gradient norm (" + gradNorm + ")");
      }
      double lr = baseLr * schedule.factor(state.step());
      optimizer.step(params, (float) lr);
      zeroGrads();
      timer.add(StepTimer.OPTIMIZER, System.nanoTime() - o0);
      TrainState next = state.advanced(epoch, index, examples);
      step.afterStep(next);
      terms.put("total", total);
      if (logEvery > 0 && (next.step() % logEvery == 0 || next.step() == 1 || next.step() == totalSteps)) {
        var report =
            new TrainingListener.StepReport(
                terms, lr, gradNorm, examples, (System.nanoTime() - t0) / 1e9, timer.seconds(), totalSteps);
        for (TrainingListener l : listeners) {
          l.onStep(next, report);
        }
      }
      return next;
    }
  }

  private void zeroGrads() {
    for (TrainableParameter p : params) {
      if (p.array().hasGradient()) {
        Torch.zeroGrad(p.array());
      }
    }
  }

  private TrainState evaluate(TrainState state) throws java.io.IOException {
    Map<String, Double> metrics = evaluation.evaluate(state);
    if (!metrics.containsKey(Evaluation.PRIMARY)) {
      return state; // evaluated elsewhere (the evaluator service decides what is best)
    }
    double primary = metrics.get(Evaluation.PRIMARY);
    Map<String, Double> shown = new LinkedHashMap<>(metrics);
    shown.remove(Evaluation.PRIMARY);
    boolean best = Double.isNaN(state.bestValue()) || primary > state.bestValue();
    TrainState next = best ? state.withBest(primary, state.step()) : state;
    if (best && checkpoints != null) {
      checkpoints.saveBest(next);
    }
    for (TrainingListener l : listeners) {
      l.onEvaluation(next, shown, primary, best);
    }
    return next;
  }

  /** Builds a {@link TrainingLoop}. */
  public static final class Builder<B> {
    private BatchPlan<B> plan;
    private StepFunction<B> step;
    private List<TrainableParameter> params;
    private Optimizer optimizer;
    private LrSchedule schedule = LrSchedule.constant();
    private double baseLr = -1;
    private double maxGradNorm = 1.0;
    private int gradAccumulation = 1;
    private long totalSteps = -1;
    private long evalEvery = 0;
    private long checkpointEvery = 0;
    private long logEvery = 10;
    private Evaluation evaluation;
    private CheckpointSink checkpoints;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private BooleanSupplier cancelled = () -> false;
    private NDManager manager;

    /** Sets the batches (required). */
    public Builder<B> setPlan(BatchPlan<B> p) {
      this.plan = p;
      return this;
    }

    /** Sets the loss of one batch (required). */
    public Builder<B> setStep(StepFunction<B> s) {
      this.step = s;
      return this;
    }

    /** Sets the trained parameters (required). */
    public Builder<B> setParameters(List<TrainableParameter> p) {
      this.params = p;
      return this;
    }

    /** Sets the optimiser (required). */
    public Builder<B> setOptimizer(Optimizer o) {
      this.optimizer = o;
      return this;
    }

    /** Sets the peak learning rate (required). */
    public Builder<B> setLearningRate(double lr) {
      this.baseLr = lr;
      return this;
    }

    /** Sets the number of optimiser steps (required). */
    public Builder<B> setTotalSteps(long n) {
      this.totalSteps = n;
      return this;
    }

    /** Sets the manager the steps' sub-managers come from (required). */
    public Builder<B> setManager(NDManager m) {
      this.manager = m;
      return this;
    }

    /** Sets the learning-rate schedule (default constant). */
    public Builder<B> optSchedule(LrSchedule s) {
      this.schedule = s;
      return this;
    }

    /** Sets the global clipping norm (default 1; 0 measures only). */
    public Builder<B> optMaxGradNorm(double n) {
      this.maxGradNorm = n;
      return this;
    }

    /** Sets the number of batches per optimiser step (default 1). */
    public Builder<B> optGradAccumulation(int k) {
      this.gradAccumulation = k;
      return this;
    }

    /** Evaluates every {@code n} steps (0: at epoch ends) and at the end. */
    public Builder<B> optEvaluation(Evaluation e, long n) {
      this.evaluation = e;
      this.evalEvery = n;
      return this;
    }

    /** Writes checkpoints every {@code n} steps (0: at every evaluation) and at the end. */
    public Builder<B> optCheckpoints(CheckpointSink s, long n) {
      this.checkpoints = s;
      this.checkpointEvery = n;
      return this;
    }

    /** Reports progress every {@code n} steps (and at the first and last). */
    public Builder<B> optLogEvery(long n) {
      this.logEvery = n;
      return this;
    }

    /** Adds a listener. */
    public Builder<B> addListener(TrainingListener l) {
      this.listeners.add(l);
      return this;
    }

    /** Sets the cancellation check, polled before every step. */
    public Builder<B> optCancelled(BooleanSupplier c) {
      this.cancelled = c;
      return this;
    }

    /** Validates and builds. */
    public TrainingLoop<B> build() {
      if (plan == null || step == null || params == null || optimizer == null || manager == null) {
        throw new IllegalStateException("You must set the plan, step function, parameters, optimiser and manager");
      }
      if (!(baseLr > 0)) {
        throw new IllegalStateException("You must set a positive learning rate");
      }
      if (totalSteps < 0) {
        throw new IllegalStateException("You must set the total number of steps");
      }
      if (gradAccumulation < 1) {
        throw new IllegalArgumentException("gradient accumulation must be at least 1");
      }
      return new TrainingLoop<>(this);
    }
  }
}
