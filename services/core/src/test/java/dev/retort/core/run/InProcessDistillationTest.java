package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small end-to-end runs on the sample data, in this process: a tiny teacher fine-tuned from
 * scratch, then a tiny student distilled from it with BERT-EMD (the loss falls and the student beats
 * the majority class clearly), and HRKD across two domains (it runs, keeps a best model per domain
 * and exports one model per domain).
 */
class InProcessDistillationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ConfigValues parse(String yaml) {
    return new JobParser(JobSchema.root()).parse(yaml, "test.yaml");
  }

  @Test
  void bertEmdLossFallsAndStudentBeatsTheMajorityClass(@TempDir Path tmp) throws Exception {
    String yaml = """
        seed: 7
        task:
          format: sample
          dir: %s
          domains: [books, kitchen]
          sample-size: 1500
          max-eval-examples: 300
          max-length: 48
        teacher:
          model: preset:tiny
          finetune: true
          training: {epochs: 4, batch-size: 32, lr: 2e-3, eval-every: 0, log-every: 20}
        student:
          preset: tiny
          init: random
        distill:
          method: bert-emd
          training: {epochs: 4, batch-size: 32, lr: 2e-3, eval-every: 0, log-every: 5}
        output:
          dir: %s
        """.formatted(tmp.resolve("data"), tmp.resolve("run"));
    JobResult r = new JobRunner(RunEnvironment.local(List.of(new RunLog(tmp.resolve("run/events.jsonl"))), () -> false))
        .run(parse(yaml), "emd");

    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve("run/events.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("event").asText().equals("step") && n.path("phase").asText().equals("distill")) {
        losses.add(n.path("losses").path("total").asDouble());
      }
    }
    assertThat(losses).hasSizeGreaterThan(20);
    double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last = losses.subList(losses.size() - 5, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(last).as("mean loss of the last five reports vs the first five").isLessThan(first * 0.8);

    // Three balanced classes: the majority class scores about 1/3.
    double majority = 1.0 / 3;
    assertThat(r.teacher().headline()).as("teacher test accuracy").isGreaterThan(majority + 0.1);
    assertThat(r.student().headline()).as("student test accuracy").isGreaterThan(majority + 0.07);
    assertThat(r.export()).isDirectory();
    assertThat(ModelDirectory.isModelDirectory(r.export())).isTrue();
  }

  @Test
  void theBestStudentKeepsTheDevScoresItWasSelectedByAndBothLatenciesAreMeasuredAtTheEnd(@TempDir Path tmp)
      throws Exception {
    String yaml = """
        seed: 3
        task:
          format: sample
          dir: %s
          domains: [books]
          sample-size: 200
          max-eval-examples: 60
          max-length: 32
        teacher:
          model: preset:tiny
        student:
          preset: tiny
          init: random
        distill:
          method: bert-emd
          training: {epochs: 1, batch-size: 16, lr: 2e-3, eval-every: 3, log-every: 0}
        output:
          dir: %s
        """.formatted(tmp.resolve("data"), tmp.resolve("run"));
    Map<Long, Map<String, Double>> bests = new LinkedHashMap<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onEvaluation(TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {
        if (isBest && state.phase().equals("distill")) {
          bests.put(state.step(), metrics);
        }
      }
    };
    JobResult r = new JobRunner(RunEnvironment.local(List.of(listener), () -> false)).run(parse(yaml), "best");

    assertThat(bests).as("evaluations that were the best so far").isNotEmpty();
    Map<String, Double> selected = List.copyOf(bests.values()).get(bests.size() - 1);
    assertThat(r.student().dev()).as("the dev scores of the last best evaluation").isEqualTo(selected);
    assertThat(r.teacher().latencyMs()).as("teacher latency").isPositive().isFinite();
    assertThat(r.student().latencyMs()).as("student latency").isPositive().isFinite();
  }

  @Test
  void hrkdRunsAcrossDomainsAndKeepsABestModelPerDomain(@TempDir Path tmp) throws Exception {
    String yaml = """
        seed: 5
        task:
          format: sample
          dir: %s
          domains: [books, kitchen]
          sample-size: 160
          max-eval-examples: 40
          max-length: 32
        teacher:
          model: preset:tiny
          finetune: true
          training: {epochs: 1, batch-size: 16, lr: 1e-3, eval-every: 5, log-every: 5}
        student:
          preset: tiny
          init: random
        distill:
          method: hrkd
          hrkd: {graph: trained, heads: 2}
          training: {epochs: 1, batch-size: 16, lr: 1e-3, eval-every: 5, log-every: 1}
        output:
          dir: %s
        """.formatted(tmp.resolve("data"), tmp.resolve("run"));
    Map<String, Double> bestPerDomain = new LinkedHashMap<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onEvaluation(TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {
        if (state.phase().equals("distill")) {
          for (String key : List.of("acc/books", "acc/kitchen")) {
            bestPerDomain.merge(key, metrics.get(key), Math::max);
          }
        }
      }
    };
    JobResult r = new JobRunner(RunEnvironment.local(List.of(listener), () -> false)).run(parse(yaml), "hrkd");
    assertThat(r.method()).isEqualTo("hrkd");
    assertThat(r.student().dev()).as("each domain's best dev score").containsAllEntriesOf(bestPerDomain);
    assertThat(r.teacher().latencyMs()).as("teacher latency, paired").isPositive().isFinite();
    assertThat(r.student().latencyMs()).as("student latency, paired").isPositive().isFinite();
    assertThat(r.student().dev()).containsKeys("acc/books", "acc/kitchen", "acc");
    assertThat(tmp.resolve("run/student/best-per-domain/books")).isDirectory();
    assertThat(tmp.resolve("run/teacher/best-per-domain/kitchen")).isDirectory();
    assertThat(ModelDirectory.isModelDirectory(r.export().resolve("kitchen"))).isTrue();
  }
}
