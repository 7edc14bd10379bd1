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
    assertThat(sec(job, "task")).containsEntry("evaluate-test", false);
    assertThat(sec(job, "output")).isEqualTo(Map.<String, Object>of("export", false));
    Map<?, ?> training = (Map<?, ?>) ((Map<?, ?>) job.get("distill")).get("training");
    assertThat(training.get("max-steps")).isEqualTo(250L);
    assertThat(training.get("epochs")).isEqualTo(100);
    // The search job itself is not modified.
    assertThat(sec(SEARCH, "teacher")).containsEntry("finetune", true);
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
