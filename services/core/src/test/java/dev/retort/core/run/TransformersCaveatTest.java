package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.PooledActivation;
import org.junit.jupiter.api.Test;

/** {@link ModelDirectory#transformersCaveat}: which exports transformers does not reproduce. */
class TransformersCaveatTest {
  @Test
  void aReluBetweenPoolerAndClassifierIsReportedBecauseTransformersHasNone() {
    HeadConfig relu = HeadConfig.forClassification(3).withPooledActivation(PooledActivation.RELU);
    assertThat(ModelDirectory.transformersCaveat(relu)).hasValueSatisfying(c -> assertThat(c).contains("relu", "pooled-activation none"));
  }

  @Test
  void thePlainHeadHasNoCaveat() {
    assertThat(ModelDirectory.transformersCaveat(HeadConfig.forClassification(3))).isEmpty();
    assertThat(ModelDirectory.transformersCaveat(HeadConfig.forRegression())).isEmpty();
  }
}
