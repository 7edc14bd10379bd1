package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.Checkpoint;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training N steps equals training k steps, stopping, resuming and training N − k more: the same
 * weights bit for bit, the same optimiser moments and the same BERT-EMD layer weights.
 */
class ExactResumeTest {

  static String job(Path data, Path out, String method) {
    return """
        seed: 3
        task:
          format: sample
          dir: %s
          domains: [books]
          sample-size: 120
          max-train-examples: 96
          max-eval-examples: 40
          max-length: 32
        teacher:
          model: preset:tiny
          finetune: true
          training: {epochs: 1, max-steps: 3, batch-size: 16, lr: 1e-3, eval-every: 3, log-every: 1}
        student:
          preset: tiny
          layers: 1
          init: random
        distill:
          method: %s
          training: {epochs: 2, batch-size: 16, lr: 1e-3, eval-every: 4, checkpoint-every: 1, log-every: 1}
        output:
          dir: %s
          export: false
        """.formatted(data, method, out);
  }

  static ConfigValues parse(String yaml) {
    return new JobParser(JobSchema.root()).parse(yaml, "test.yaml");
  }

  @Test
  void resumedBertEmdRunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    // Uninterrupted: 2 epochs of 6 batches = 12 steps.
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(parse(job(data, tmp.resolve("a"), "bert-emd")), "a");

    // Interrupted after step 5 of the distillation, then run again.
    AtomicBoolean stop = new AtomicBoolean();
    TrainingListener stopAt5 = new TrainingListener() {
      @Override
      public void onStep(TrainState state, StepReport report) {
        if (state.phase().equals("distill") && state.step() == 5) {
          stop.set(true);
        }
      }
    };
    ConfigValues b = parse(job(data, tmp.resolve("b"), "bert-emd"));
    assertThatThrownBy(() -> new JobRunner(RunEnvironment.local(List.of(stopAt5), stop::get)).run(b, "b"))
        .isInstanceOf(JobCancelledException.class);
    CheckpointStore storeB = new CheckpointStore(tmp.resolve("b/student/checkpoints"), 2);
    assertThat(storeB.latest().orElseThrow().state().step()).isEqualTo(5);
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(b, "b");

    Checkpoint a = new CheckpointStore(tmp.resolve("a/student/checkpoints"), 2).latest().orElseThrow();
    Checkpoint r = storeB.latest().orElseThrow();
    assertThat(r.state().step()).isEqualTo(12).isEqualTo(a.state().step());
    assertIdentical(a.model(), r.model());
    assertIdentical(a.optimizer(), r.optimizer());
    assertIdentical(a.method(), r.method());
    assertThat(a.method().names()).contains("layer_weights.student_att", "layer_weights.teacher_hid");
    assertThat(r.modules().keySet()).isEqualTo(a.modules().keySet());
    for (String m : a.modules().keySet()) {
      assertIdentical(a.modules().get(m), r.modules().get(m));
    }
    assertThat(r.state()).isEqualTo(a.state());
  }

  static void assertIdentical(StateDict x, StateDict y) {
    assertThat(y.names()).containsExactlyInAnyOrderElementsOf(x.names());
    for (String n : x.names()) {
      HostTensor a = x.get(n);
      HostTensor b = y.get(n);
      if (!b.data().equals(a.data())) {
        float[] fa = a.toFloats();
        float[] fb = b.toFloats();
        double worst = 0;
        for (int i = 0; i < fa.length; i++) {
          worst = Math.max(worst, Math.abs(fa[i] - fb[i]));
        }
        System.out.println("DIFF " + n + " max |a-b| = " + worst);
      }
      assertThat(b.data()).as(n).isEqualTo(a.data());
    }
  }
}
