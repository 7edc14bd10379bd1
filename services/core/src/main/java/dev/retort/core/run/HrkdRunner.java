package dev.retort.core.run;

import dev.retort.core.job.ConfigValues;
import java.io.IOException;

/** Runs HRKD and its multi-domain KD ablation. */
final class HrkdRunner {
  private final RunEnvironment env;

  HrkdRunner(RunEnvironment env) {
    this.env = env;
  }

  JobResult run(ConfigValues job, String name) throws IOException {
    throw new UnsupportedOperationException("HRKD runner pending");
  }
}
