package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.data.Dataset;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data a search reads: its fitness examples come from the end of train, never from dev. */
class SearchInputsTest {
  @TempDir static Path shared;

  @BeforeAll
  static void corpus() throws Exception {
    TinySearchJob.corpus(shared);
  }

  @Test
  void fitnessExamplesAreTheLastRowsOfTrainAndNeitherTrainedOnNorTakenFromDev() throws Exception {
    ConfigValues job = job(1, Map.of());
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    SearchData data = load(job);

    List<String> train = ids(task.train());
    assertThat(train).hasSize(64);
    assertThat(data.heldOut().ids()).isEqualTo(train.subList(48, 64));
    assertThat(data.train().ids()).isEqualTo(train.subList(0, 48));
    assertThat(data.train().ids()).doesNotContainAnyElementsOf(data.heldOut().ids());
    assertThat(data.heldOut().ids()).doesNotContainAnyElementsOf(ids(task.dev()));
  }

  @Test
  void stageThreeHoldsOutItsOwnFraction() throws Exception {
    ConfigValues job = job(3, Map.of("shared-holdout-fraction", 0.5));
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    SearchData data = load(job);

    assertThat(data.heldOut().ids()).isEqualTo(ids(task.train()).subList(32, 64));
    assertThat(data.train().size()).isEqualTo(32);
  }

  @Test
  void trainingSplitWithNothingLeftAfterTheHoldoutIsAnErrorNamingTheKeys() {
    ConfigValues job = job(1, Map.of("holdout-min-examples", 64));

    assertThatThrownBy(() -> load(job))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("search.holdout-fraction")
        .hasMessageContaining("has only 64")
        .hasMessageContaining("search.holdout-min-examples");
  }

  private static SearchData load(ConfigValues job) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return SearchInputs.load(
              job,
              SearchConfig.of(job),
              PathPolicy.unrestricted(),
              LoadOptions.defaults(),
              manager)
          .data();
    }
  }

  /** The tiny search job with a random preset:tiny teacher and some search keys replaced. */
  private static ConfigValues job(int stage, Map<String, Object> search) {
    ConfigValues base =
        TinySearchJob.job(shared, shared.resolve("out"), stage, 1, "", "preset:tiny");
    Map<String, Object> tree = base.asTree();
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) tree.get("search");
    keys.putAll(search);
    try {
      String json = new ObjectMapper().writeValueAsString(tree);
      return new JobParser(JobSchema.root()).parse(json, "tiny-search.json");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(Dataset d) {
    return IntStream.range(0, d.size()).mapToObj(i -> d.get(i).id()).toList();
  }
}
