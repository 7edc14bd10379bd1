package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.StateDicts;
import dev.retort.core.run.EfficientBertDirectory;
import dev.retort.core.run.EfficientBertFactory;
import dev.retort.core.run.EfficientBertStudent;
import dev.retort.core.run.JobResult;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.Methods;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retort distill} of an EfficientBERT student, in-process, on the sample data with a randomly
 * initialised tiny teacher (the student only has to follow it).
 */
class EfficientBertDistillTest {
  private static final List<String> EXPRESSIONS =
      List.of("tanh(linear2_2(gelu(linear2_2(x,wb1)),wb2))", "linear1_1(relu(linear1_1(x,wb1)),wb2)");

  @TempDir static Path shared;

  private static ConfigValues job(Path out, String studentExtra) {
    String yaml = String.join("\n",
        "seed: 7",
        "teacher:",
        "  model: 'preset:tiny'",
        "task:",
        "  format: sample",
        "  dir: '" + shared.resolve("sample") + "'",
        "  sample-size: 100",
        "  max-train-examples: 64",
        "  max-eval-examples: 48",
        "  max-length: 32",
        "  buckets: [16, 32]",
        "student:",
        "  hidden-size: 48",
        "  embedding-size: 16",
        "  ffn-expressions: ['" + EXPRESSIONS.get(0) + "', '" + EXPRESSIONS.get(1) + "']",
        studentExtra,
        "distill:",
        "  training:",
        "    batch-size: 8",
        "    epochs: 10",
        "    max-steps: 20",
        "    log-every: 1",
        "    lr: 0.001",
        "    eval-every: 10",
        "output:",
        "  dir: '" + out + "'",
        "");
    return new JobParser(JobSchema.root()).parse(yaml, "efficientbert-distill.yaml");
  }

  @Test
  void distilsEndToEndWithFallingLossAndAnExportThatReloadsExactly() throws Exception {
    List<Double> losses = new ArrayList<>();
    List<Map<String, Double>> bests = new ArrayList<>();
    TrainingListener l = new TrainingListener() {
      @Override
      public void onStep(TrainState state, StepReport report) {
        losses.add(report.losses().get("total"));
      }

      @Override
      public void onEvaluation(TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {
        if (isBest) {
          bests.add(metrics);
        }
      }
    };
    JobResult r = new JobRunner(RunEnvironment.local(List.of(l), () -> false))
        .run(job(shared.resolve("run"), ""), "eb");

    assertThat(losses).hasSize(20);
    double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last = losses.subList(15, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(last).isLessThan(first);
    assertThat(r.student().dev()).containsKey(r.student().metric());
    // Reported as what it trained with, not as the distill.method the job left at its default.
    assertThat(r.method()).isEqualTo(Methods.EFFICIENT_BERT);
    assertThat(bests).isNotEmpty();
    assertThat(r.student().dev()).as("the dev scores the best was selected by").isEqualTo(bests.get(bests.size() - 1));
    assertThat(r.teacher().latencyMs()).as("teacher latency, paired").isPositive().isFinite();
    assertThat(r.student().latencyMs()).as("student latency, paired").isPositive().isFinite();
    assertThat(r.export()).isNotNull();
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertStudent best = EfficientBertDirectory.read(r.runDir().resolve("student").resolve("best"), m);
      EfficientBertStudent exported = EfficientBertDirectory.read(r.export(), m);
      assertThat(exported.model().arch()).isEqualTo(best.model().arch());
      assertThat(best.model().arch().layerExpressions().stream().map(dev.retort.core.efficientbert.ExprPrinter::print).toList())
          .isEqualTo(EXPRESSIONS);
      StateDict a = StateDicts.toStateDict(best.model(), "best");
      StateDict b = StateDicts.toStateDict(exported.model(), "export");
      assertThat(b.asMap().keySet()).isEqualTo(a.asMap().keySet());
      a.asMap().forEach((k, t) -> assertThat(b.require(k).toFloats()).as(k).containsExactly(t.toFloats()));
      assertThat(exported.parameters()).isEqualTo(r.student().parameters());
    }
  }

  @Test
  void cancelledDistillationResumesFromItsCheckpointToTheUninterruptedWeights() throws Exception {
    Path whole = shared.resolve("whole");
    Path parts = shared.resolve("parts");
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(job(whole, ""), "whole");
    int[] steps = {0};
    TrainingListener count = new TrainingListener() {
      @Override
      public void onStep(TrainState state, StepReport report) {
        steps[0]++;
      }
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new JobRunner(RunEnvironment.local(List.of(count), () -> steps[0] >= 7)).run(job(parts, ""), "parts"))
        .isInstanceOf(dev.retort.core.run.JobCancelledException.class);
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(job(parts, ""), "parts");

    var a = new dev.retort.core.run.CheckpointStore(whole.resolve("student/checkpoints"), 2).latest().orElseThrow();
    var b = new dev.retort.core.run.CheckpointStore(parts.resolve("student/checkpoints"), 2).latest().orElseThrow();
    assertThat(steps[0]).isEqualTo(7);
    assertThat(b.state().step()).isEqualTo(a.state().step()).isEqualTo(20);
    a.model().asMap().forEach((k, t) -> assertThat(b.model().require(k).toFloats()).as(k).containsExactly(t.toFloats()));
  }

  @Test
  void studentInheritsSlicedSupernetWeights() throws Exception {
    ConfigValues plain = job(shared.resolve("unused"), "");
    try (NDManager m = NDManager.newBaseManager()) {
      var task0 = new TaskResolver(PathPolicy.unrestricted()).resolve(plain);
      LoadedModel teacher = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
          .teacher(plain, task0, List.of("default"), m);
      var dims = EfficientBertFactory.arch(plain, teacher.config());
      Supernet supernet = new Supernet(dims, AutoBertOptions.reference());
      Torch.seed(3);
      supernet.model().initializeParameters(m);
      Path file = shared.resolve("supernet.safetensors");
      SupernetStore.write(file, supernet.model());

      ConfigValues job = job(shared.resolve("unused"), "  supernet: '" + file + "'");
      var task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
      EfficientBertStudent s = new EfficientBertFactory(PathPolicy.unrestricted()).student(job, task, teacher, m);

      StateDict sup = StateDicts.toStateDict(supernet.model(), "supernet");
      StateDict stu = StateDicts.toStateDict(s.model(), "student");
      assertThat(stu.require("fit_dense.weight").toFloats()).containsExactly(sup.require("fit_dense.weight").toFloats());
      // Layer 2 uses linear1_1: one FFN whose weights are the supernet's first FFN, unsliced.
      String w = stu.asMap().keySet().stream().filter(k -> k.startsWith("encoder.1.") && k.contains("ffn")).findFirst().orElseThrow();
      assertThat(stu.require(w).toFloats()).containsExactly(sup.require(w).toFloats());
      assertThat(s.source()).contains("supernet");
    }
  }
}
