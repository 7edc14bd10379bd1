package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.search.CandidateSpec;
import dev.retort.core.efficientbert.search.KdProtocol;
import dev.retort.messaging.TrainingRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidateJobsTest {
  private static final Map<String, Object> SEARCH = Map.of(
      "name", "My Search!", "seed", 7,
      "teacher", Map.of("model", "checkpoint:t", "finetune", true),
      "student", Map.of("hidden-size", 48, "layers", 2),
      "search", Map.of("candidates", 3),
      "output", Map.of("dir", "/tmp/x"));
  private static final CandidateSpec SPEC = new CandidateSpec(
      4, 1, List.of("linear1_1(gelu(linear1_1(x,wb1)),wb2)", "linear2_2(relu(linear2_2(x,wb1)),wb2)"), 99);

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sec(Map<String, Object> tree, String name) {
    return (Map<String, Object>) tree.get(name);
  }

  @Test
  void candidateJobCarriesTheExpressionsSupernetAndBudgetButNoSearchOutputOrTestScoring() {
    Map<String, Object> job = CandidateJobs.job(SEARCH, SPEC, "search/supernet.safetensors", KdProtocol.of(0, 250));

    assertThat(job).doesNotContainKeys("search", "output.dir", "name").containsEntry("seed", 7);
    assertThat(sec(job, "student")).containsEntry("ffn-expressions", SPEC.expressions())
        .containsEntry("supernet", "search/supernet.safetensors").containsEntry("hidden-size", 48);
    assertThat(sec(job, "teacher")).containsEntry("finetune", false);
    assertThat(sec(job, "task")).containsEntry("evaluate-test", false)
        .containsEntry("dev-from-train", 0.01).containsEntry("dev-from-train-min", 100);
    assertThat(sec(job, "output")).isEqualTo(Map.<String, Object>of("export", false));
    Map<?, ?> training = (Map<?, ?>) ((Map<?, ?>) job.get("distill")).get("training");
    assertThat(training.get("max-steps")).isEqualTo(250L);
    assertThat(training.get("epochs")).isEqualTo(100);
    // The search job itself is not modified.
    assertThat(sec(SEARCH, "teacher")).containsEntry("finetune", true);
  }

  @Test
  void candidateJobCarriesThePretrainingKdOfTheSearchAsInProcessCandidatesGetIt() {
    Map<String, Object> search = new java.util.LinkedHashMap<>(SEARCH);
    search.put("search", Map.of("candidates", 3, "corpus", "data/corpus.txt", "pretrain-teacher", "all-minilm-l6-v2",
        "holdout-fraction", 0.05, "holdout-min-examples", 8));
    Map<String, Object> job = CandidateJobs.job(search, SPEC, "s.safetensors", KdProtocol.of(31, 250));

    assertThat(sec(sec(job, "student"), "pretrain")).containsEntry("steps", 31L).containsEntry("lr", 1e-4)
        .containsEntry("corpus", "data/corpus.txt").containsEntry("teacher", "all-minilm-l6-v2");
    assertThat(sec(CandidateJobs.job(search, SPEC, "s.safetensors", KdProtocol.of(0, 250)), "student"))
        .doesNotContainKey("pretrain");
    // The trainer parses it with the job schema: the keys exist and have the right types.
    var parsed = new dev.retort.core.job.JobParser(dev.retort.core.job.JobSchema.root()).parse(
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(job).toString(), "candidate");
    assertThat(parsed.integer("student.pretrain.steps")).isEqualTo(31L);
    assertThat(parsed.str("student.pretrain.corpus")).isEqualTo("data/corpus.txt");
    assertThat(parsed.number("task.dev-from-train")).isEqualTo(0.05);
    assertThat(parsed.integer("task.dev-from-train-min")).isEqualTo(8L);
  }

  @Test
  void jobIdIsValidAndDependsOnlyOnSearchCandidateAndJob() {
    Map<String, Object> job = CandidateJobs.job(SEARCH, SPEC, "s.safetensors", KdProtocol.of(0, 5));
    String id = CandidateJobs.jobId("My Search!", SPEC, job);

    assertThat(id).matches("my-search--s1c4-[0-9a-f]{8}");
    TrainingRequests.checkJobId(id);
    assertThat(CandidateJobs.jobId("My Search!", SPEC, CandidateJobs.job(SEARCH, SPEC, "s.safetensors", KdProtocol.of(0, 5))))
        .isEqualTo(id);
    assertThat(CandidateJobs.jobId("My Search!", SPEC, CandidateJobs.job(SEARCH, SPEC, "s.safetensors", KdProtocol.of(0, 6))))
        .isNotEqualTo(id);
  }
}
