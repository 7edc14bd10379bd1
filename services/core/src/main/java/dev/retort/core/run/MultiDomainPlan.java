package dev.retort.core.run;

import dev.retort.core.data.Batch;
import dev.retort.core.data.MultiDomainSampler;
import dev.retort.core.data.MultiDomainStep;
import dev.retort.core.train.BatchPlan;

/** Adapts HRKD's {@link MultiDomainSampler} to the loop's {@link BatchPlan}. */
final class MultiDomainPlan implements BatchPlan<MultiDomainStep> {
  private final MultiDomainSampler sampler;

  MultiDomainPlan(MultiDomainSampler sampler) {
    this.sampler = sampler;
  }

  @Override
  public int batchesPerEpoch() {
    return sampler.stepsPerEpoch();
  }

  @Override
  public MultiDomainStep batch(int epoch, int index) {
    return sampler.step(epoch, index);
  }

  @Override
  public int examples(MultiDomainStep step) {
    int n = 0;
    for (Batch b : step.batches()) {
      n += b.size();
    }
    return n;
  }
}
