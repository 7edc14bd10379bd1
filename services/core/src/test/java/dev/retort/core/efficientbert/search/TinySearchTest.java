package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.ExprTrees;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end searches on the tiny job: warm-up, candidates trained with KD, resume, stages 2, 3.
 */
class TinySearchTest {
  @TempDir static Path shared;
  private static SearchResult whole;

  @BeforeAll
  static void searchFourCandidates() throws Exception {
    TinySearchJob.corpus(shared);
    TinySearchJob.teacher(shared);
    whole = run(TinySearchJob.job(shared, shared.resolve("whole"), 1, 4, ""), "whole");
  }

  @Test
  void searchFinishesWithFourDistinctRankedCandidates() {
    assertThat(whole.finished()).isTrue();
    assertThat(whole.evaluated()).isEqualTo(4);
    assertThat(whole.hallOfFame()).hasSize(4).isSortedAccordingTo(HallOfFame.ORDER);
    assertThat(whole.hallOfFame().stream().map(EvaluatedCandidate::key).distinct()).hasSize(4);
    assertThat(whole.hallOfFame())
        .allSatisfy(
            c -> {
              assertThat(c.fitness().failed()).as(String.valueOf(c.fitness().error())).isFalse();
              assertThat(c.value()).isBetween(0.0, 1.0);
            });
    assertThat(Files.exists(shared.resolve("supernet.safetensors"))).isTrue();
  }

  @Test
  void stoppedAfterTwoAndResumedToFourEqualsTheUninterruptedRun() throws Exception {
    Path parts = shared.resolve("parts");
    SearchResult stopped = run(TinySearchJob.job(shared, parts, 1, 2, ""), "parts");
    SearchResult resumed = run(TinySearchJob.job(shared, parts, 1, 4, ""), "parts");

    assertThat(stopped.evaluated()).isEqualTo(2);
    assertThat(resumed.evaluated()).isEqualTo(4);
    assertThat(withoutTimes(resumed.hallOfFame())).isEqualTo(withoutTimes(whole.hallOfFame()));
  }

  @Test
  void snippetOfTheBestCandidateParsesAsAStudentSection() throws Exception {
    String snippet = Files.readString(shared.resolve("whole").resolve("student-snippet.yaml"));
    ConfigValues job =
        new JobParser(JobSchema.root()).parse("teacher:\n  model: x\n" + snippet, "snippet");
    assertThat(job.strings("student.ffn-expressions")).isEqualTo(whole.best().spec().expressions());
    assertThat(job.intValue("student.embedding-size")).isEqualTo(16);
    assertThat(job.intValue("student.hidden-size")).isEqualTo(48);
    assertThat(Files.readString(shared.resolve("whole").resolve("search-result.txt")))
        .contains("layer 1: " + whole.best().spec().expressions().get(0));
  }

  @Test
  void stageTwoKeepsTheStageOneBestSizesAndChangesOperators() throws Exception {
    Path state = shared.resolve("whole").resolve(SearchRunner.STATE_FILE);
    SearchResult r =
        run(
            TinySearchJob.job(
                shared, shared.resolve("stage2"), 2, 2, "  previous-stage: '" + state + "'"),
            "stage2");

    var bestSizes = whole.best().spec().layers().stream().map(ExprTrees::firstLinearSize).toList();
    assertThat(r.evaluated()).isEqualTo(2);
    assertThat(r.hallOfFame())
        .allSatisfy(
            c -> {
              assertThat(c.spec().stage()).isEqualTo(2);
              assertThat(c.spec().layers().stream().map(ExprTrees::firstLinearSize).toList())
                  .isEqualTo(bestSizes);
              assertThat(c.spec().expressions()).isNotEqualTo(whole.best().spec().expressions());
            });
  }

  @Test
  void stageThreeTrainsSharedWeightsOnceAndKeepsTheStageTwoOperators() throws Exception {
    Path out = shared.resolve("stage3");
    ConfigValues job =
        withExpressions(
            TinySearchJob.job(shared, out, 3, 4, "  shared-steps: 6\n  sampler: random"),
            List.of(
                "tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))",
                "linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)"));
    SearchResult r = run(job, "stage3");
    Path sharedWeights = out.resolve("stage3-supernet.safetensors");
    long written = Files.getLastModifiedTime(sharedWeights).toMillis();
    SearchResult again = run(withCandidates(job, 5), "stage3");

    assertThat(r.evaluated()).isEqualTo(4);
    assertThat(r.hallOfFame())
        .allSatisfy(
            c -> {
              assertThat(c.spec().expressions().get(0)).startsWith("tanh(linear");
              assertThat(c.spec().expressions().get(1)).contains("relu(mul(linear");
            });
    assertThat(r.hallOfFame().stream().map(EvaluatedCandidate::key).distinct()).hasSize(4);
    // The resumed stage reuses the trained shared weights instead of training them again.
    assertThat(again.evaluated()).isEqualTo(5);
    assertThat(Files.getLastModifiedTime(sharedWeights).toMillis()).isEqualTo(written);
  }

  private static SearchResult run(ConfigValues job, String name) throws Exception {
    return TinySearchJob.runner(shared).run(job, name);
  }

  /** The candidates with their fitness, without the wall times, which differ between runs. */
  private static List<List<Object>> withoutTimes(List<EvaluatedCandidate> hall) {
    return hall.stream()
        .map(
            c ->
                List.<Object>of(
                    c.spec(), c.key(), c.value(), c.fitness().failed(), c.fitness().parameters()))
        .toList();
  }

  private static ConfigValues withExpressions(ConfigValues job, List<String> expressions)
      throws Exception {
    Map<String, Object> tree = job.asTree();
    @SuppressWarnings("unchecked")
    Map<String, Object> student = (Map<String, Object>) tree.get("student");
    student.put("ffn-expressions", expressions);
    return reparse(tree);
  }

  private static ConfigValues withCandidates(ConfigValues job, int n) throws Exception {
    Map<String, Object> tree = job.asTree();
    @SuppressWarnings("unchecked")
    Map<String, Object> search = (Map<String, Object>) tree.get("search");
    search.put("candidates", n);
    return reparse(tree);
  }

  private static ConfigValues reparse(Map<String, Object> tree) throws Exception {
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree);
    return new JobParser(JobSchema.root()).parse(json, "tiny-search.json");
  }
}
