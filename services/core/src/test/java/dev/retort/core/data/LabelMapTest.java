package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMapTest {
  @Test
  void idsFollowTheDeclaredOrder() {
    LabelMap m = LabelMap.of("positive", "negative");
    assertThat(m.id("positive", "x")).isZero();
    assertThat(m.id("negative", "x")).isEqualTo(1);
    assertThat(m.label(1)).isEqualTo("negative");
    assertThat(m.size()).isEqualTo(2);
  }

  @Test
  void unknownLabelErrorNamesWhereAndTheKnownLabels() {
    LabelMap m = LabelMap.of("a", "b");
    assertThatThrownBy(() -> m.id("c", "data.tsv:7"))
        .isInstanceOf(RetortException.class)
        .hasMessageStartingWith("data.tsv:7: unknown label 'c'; the known labels are [a, b]");
    assertThatThrownBy(() -> LabelMap.ofDomains(List.of("x")).id("y", "here"))
        .hasMessageContaining("unknown domain 'y'");
  }

  @Test
  void duplicateDeclarationsAreRejected() {
    assertThatThrownBy(() -> LabelMap.of("a", "a")).isInstanceOf(RetortException.class);
  }

  @Test
  void datasetRejectsUndeclaredLabelsAndBadTargets() {
    List<Example> bad = List.of(new Example("t", null, "maybe", null, "e1"));
    assertThatThrownBy(() -> new Dataset("d", TaskType.CLASSIFICATION, LabelMap.of("yes"), bad))
        .hasMessageContaining("d example e1");
    assertThatThrownBy(() -> new Dataset("d", TaskType.REGRESSION, LabelMap.none(), bad))
        .hasMessageContaining("not a number");
  }
}
