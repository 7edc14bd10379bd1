package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.SampleData;
import dev.retort.core.data.TaskType;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.weights.LoadOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFactoryPresetTest {
  private static final TaskData TASK = new TaskData("sample", TaskType.CLASSIFICATION,
      SampleData.LABELS, null, List.of("default"), null, null, null, null, null);

  private static LoadedModel preset(String name, long seed, NDManager m) {
    return new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults())
        .load("preset:" + name, "teacher.model", TASK, List.of("default"), "auto",
            PooledActivation.NONE, seed, m);
  }

  @Test
  void presetsShareTheVocabularyReadOnceAndKeepBertsUncasedWordPiece() {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel a = preset("tiny", 1, m);
      LoadedModel b = preset("tiny", 2, m);
      assertThat(b.tokenizerFiles()).isSameAs(a.tokenizerFiles());
      assertThat(a.tokenizerFiles().size()).isEqualTo(30522);
      assertThat(a.tokenizerFiles().lowercase()).isTrue();
      assertThat(a.config().vocabSize()).isEqualTo(30522);
    }
  }
}
