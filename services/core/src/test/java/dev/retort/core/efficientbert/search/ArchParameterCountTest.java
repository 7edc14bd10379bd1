package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.EfficientBertArch;
import org.junit.jupiter.api.Test;

class ArchParameterCountTest {
  /** EfficientBERT's published dimensions; the count is arithmetic, no weights are built. */
  private static final EfficientBertArch DIMS = EfficientBertArch.efficientBert();

  private static final CandidateSpec SPEC =
      new CandidateSpec(0, 1, EfficientBertArch.PUBLISHED_FFN, 5);

  @Test
  void theCountComesFromTheCandidatesArchitectureNotFromTheEvaluator() {
    CandidateEvaluator platform = spec -> Fitness.ok(0.7, 999_999, 12.5);
    Fitness f = new ArchParameterCount(platform, DIMS).evaluate(SPEC);
    assertThat(f.value()).isEqualTo(0.7);
    assertThat(f.seconds()).isEqualTo(12.5);
    // EfficientBERT's hand-computed count (ParamCountTest): embeddings, fit_dense and encoder only.
    assertThat(f.parameters()).isEqualTo(15_737_724L);
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
