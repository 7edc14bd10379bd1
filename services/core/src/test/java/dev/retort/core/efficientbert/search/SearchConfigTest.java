package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.model.BertConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SearchConfigTest {
  private static ConfigValues parse(String yaml) {
    return new JobParser(JobSchema.root()).parse("teacher:\n  model: m\n" + yaml, "job.yaml");
  }

  @Test
  void defaultsAreTheReferenceSearch() {
    SearchConfig c = SearchConfig.of(parse(""));
    assertThat(c.stage()).isEqualTo(SearchStage.OPS_AND_SIZES);
    assertThat(c.learned()).isTrue();
    assertThat(c.budget()).isEqualTo(ParamBudget.reference());
    assertThat(c.initSamples()).isEqualTo(80);
    assertThat(c.trainInterval()).isEqualTo(10);
    assertThat(c.heightThresholds()).containsExactly(400, 800, 1600, 3200);
    assertThat(c.protocol().lr()).isEqualTo(4e-4);
    assertThat(c.protocol().pretrainLr()).isEqualTo(1e-4);
    assertThat(c.timeLimit()).isNull();
    assertThat(c.initExpressions()).isEmpty();
    assertThat(c.holdout()).isEqualTo(new FitnessHoldout(0.01, 100));
  }

  @Test
  void stageThreeHoldsOutTheSharedFraction() {
    assertThat(SearchConfig.of(parse("search:\n  stage: 3\n")).holdout())
        .isEqualTo(new FitnessHoldout(0.1, 100));
    assertThat(
            SearchConfig.of(
                    parse(
                        "search:\n  stage: 2\n  holdout-fraction: 0.05\n"
                            + "  shared-holdout-fraction: 0.2\n  holdout-min-examples: 7\n"))
                .holdout())
        .isEqualTo(new FitnessHoldout(0.05, 7));
  }

  @Test
  void dimsComeFromTheStudentKeysAndTheTeacher() {
    BertConfig bertBase = BertConfig.bertBase();
    EfficientBertArch reference = SearchConfig.dims(parse(""), bertBase);
    assertThat(reference.hiddenSize()).isEqualTo(540);
    assertThat(reference.numLayers()).isEqualTo(6);
    assertThat(reference.numHeads()).isEqualTo(12);
    assertThat(reference.embeddingSize()).isEqualTo(128);
    assertThat(reference.fitSize()).isEqualTo(768);
    assertThat(reference.vocabSize()).isEqualTo(30522);

    ConfigValues job = parse(String.join("\n",
        "student:",
        "  hidden-size: 360",
        "  embedding-size: 64",
        "  ffn-expressions: ['tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))',"
            + " 'elu(linear2_1(gelu(linear2_1(x,wb1)),wb2))']",
        "search:",
        "  time-limit-minutes: 90",
        "  sampler: random",
        ""));
    EfficientBertArch small = SearchConfig.dims(job, bertBase);
    assertThat(small.numLayers()).isEqualTo(2);
    assertThat(small.hiddenSize()).isEqualTo(360);
    assertThat(small.embeddingSize()).isEqualTo(64);
    SearchConfig c = SearchConfig.of(job);
    assertThat(c.initExpressions()).hasSize(2);
    assertThat(c.learned()).isFalse();
    assertThat(c.timeLimit()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void badValuesAreReportedByKey() {
    assertThatThrownBy(() -> SearchConfig.of(parse("search:\n  stage: 4\n")))
        .isInstanceOf(RetortException.class).hasMessageContaining("search.stage");
    assertThatThrownBy(() -> SearchConfig.of(parse(
        "search:\n  budget-min-params: 10\n  budget-max-params: 5\n")))
        .hasMessageContaining("budget-min-params <= budget-max-params");
    assertThatThrownBy(() -> SearchConfig.dims(parse(
        "student:\n  layers: 3\n  ffn-expressions: ['elu(linear2_1(gelu(linear2_1(x,wb1)),wb2))']\n"),
        BertConfig.bertBase()))
        .hasMessageContaining("student.ffn-expressions")
        .hasMessageContaining("1 expressions for a 3-layer student");
    assertThatThrownBy(() -> SearchConfig.of(parse("search:\n  train-interval: 0\n")))
        .hasMessageContaining("search.train-interval");
    assertThatThrownBy(() -> SearchConfig.of(parse("search:\n  holdout-fraction: 1\n")))
        .hasMessageContaining("search.holdout-fraction");
    assertThatThrownBy(() -> SearchConfig.of(parse("search:\n  holdout-min-examples: 0\n")))
        .hasMessageContaining("search.holdout-min-examples");
  }

  @Test
  void aSearchRefusesDistillKeysItsCandidatesCannotHonour() {
    // The search job names no expressions, but its candidates are EfficientBERT students.
    assertThatThrownBy(() -> SearchConfig.of(parse("distill:\n  use-attention: false\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-attention")
        .hasMessageContaining("always includes its attention-score term");
    assertThatThrownBy(() -> SearchConfig.of(parse("distill:\n  method: tinybert\n  stages: two-stage\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.stages");
  }
}
