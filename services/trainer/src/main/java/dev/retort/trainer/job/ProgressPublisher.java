package dev.retort.trainer.job;

import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import dev.retort.proto.v1.JobEvent;
import dev.retort.trainer.metrics.TrainerMetrics;
import java.nio.file.Path;

/** Turns training progress into job events and metrics. */
final class ProgressPublisher implements TrainingListener {
  private final String jobId;
  private final String method;
  private final EventPublisher events;
  private final TrainerMetrics metrics;
  private final Path root;

  ProgressPublisher(String jobId, String method, EventPublisher events, TrainerMetrics metrics, Path root) {
    this.jobId = jobId;
    this.method = method;
    this.events = events;
    this.metrics = metrics;
    this.root = root;
  }

  @Override
  public void onStep(TrainState state, StepReport r) {
    metrics.step(jobId, method, state.phase(), state.step(), state.examplesSeen(), r);
    events.publish(events.events().progress(jobId,
        JobEvent.Progress.newBuilder()
            .setPhase(state.phase())
            .setStep(state.step())
            .setTotalSteps(r.totalSteps())
            .setEpoch(state.epoch())
            .putAllLosses(r.losses())
            .setLearningRate(r.learningRate())
            .setGradNorm(Double.isFinite(r.gradNorm()) ? r.gradNorm() : -1)
            .setExamplesPerSecond(r.examples() / Math.max(1e-9, r.seconds()))
            .setSeconds(r.seconds())
            .putAllStepSeconds(r.parts())
            .build()));
  }

  @Override
  public void onCheckpoint(TrainState state, Path path, double seconds) {
    metrics.checkpoint(jobId, seconds);
    events.publish(events.events().checkpoint(jobId, state.phase(), state.step(), root.relativize(path.toAbsolutePath()).toString()));
  }
}
