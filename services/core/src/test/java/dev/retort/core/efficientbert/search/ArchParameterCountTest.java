package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Supernet;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchParameterCountTest {
  private static final EfficientBertArch DIMS =
      EfficientBertArch.builder()
          .setHiddenSize(48)
          .setLayerExpressions(Collections.nCopies(2, Supernet.baseExpression(null)))
          .optNumHeads(4)
          .optEmbeddingSize(8)
          .optVocabSize(64)
          .optMaxPositions(32)
          .optFitSize(24)
          .build();

  private static final CandidateSpec SPEC = new CandidateSpec(0, 1, List.of(
      "tanh(linear2_2(gelu(linear2_2(x,wb1)),wb2))", "linear1_1(relu(linear1_1(x,wb1)),wb2)"), 5);

  @Test
  void theCountComesFromTheCandidatesArchitectureNotFromTheEvaluator() {
    CandidateEvaluator platform = spec -> Fitness.ok(0.7, 999_999, 12.5);
    Fitness f = new ArchParameterCount(platform, DIMS).evaluate(SPEC);
    assertThat(f.value()).isEqualTo(0.7);
    assertThat(f.seconds()).isEqualTo(12.5);
    assertThat(f.parameters()).isEqualTo(DIMS.withLayerExpressions(SPEC.layers()).paramCount())
        .isNotEqualTo(999_999);
  }

  @Test
  void aFailedCandidateStaysFailedWithItsReason() {
    CandidateEvaluator platform = spec -> Fitness.failed("job failed: out of memory", 0, 3);
    Fitness f = new ArchParameterCount(platform, DIMS).evaluate(SPEC);
    assertThat(f.failed()).isTrue();
    assertThat(f.error()).isEqualTo("job failed: out of memory");
    assertThat(f.parameters()).isPositive();
  }

  @Test
  void theDescriptionIsTheWrappedOnesSoResumedSearchesKeepTheirFingerprint() {
    CandidateEvaluator platform = new CandidateEvaluator() {
      @Override
      public Fitness evaluate(CandidateSpec spec) {
        return Fitness.ok(0.5, 1, 1);
      }

      @Override
      public String describe() {
        return "platform pretrain-kd steps=2";
      }
    };
    assertThat(new ArchParameterCount(platform, DIMS).describe()).isEqualTo("platform pretrain-kd steps=2");
  }
}
