package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.data.Dataset;
import dev.retort.core.data.Example;
import dev.retort.core.data.LabelMap;
import dev.retort.core.data.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FitnessHoldoutTest {

  @Test
  void heldOutExamplesAreTheLastRowsOfTrainInOrderAndTheRestTrains() {
    Dataset train = train(2000);
    FitnessHoldout.Split s = new FitnessHoldout(0.01, 5).split(train);

    assertThat(ids(s.heldOut())).isEqualTo(ids(train).subList(1980, 2000));
    assertThat(ids(s.train())).isEqualTo(ids(train).subList(0, 1980));
    assertThat(ids(s.train())).doesNotContainAnyElementsOf(ids(s.heldOut()));
  }

  @Test
  void atLeastMinExamplesAreHeldOutAndOtherwiseTheFractionTruncated() {
    FitnessHoldout candidates = new FitnessHoldout(FitnessHoldout.CANDIDATE_FRACTION, 100);
    FitnessHoldout shared = new FitnessHoldout(FitnessHoldout.SHARED_FRACTION, 100);

    assertThat(candidates.size(3000)).isEqualTo(100); // 1% is only 30
    assertThat(candidates.size(392_702)).isEqualTo(3927); // MNLI train: int(0.01 n)
    assertThat(shared.size(392_702)).isEqualTo(39_270);
    assertThat(new FitnessHoldout(0, 16).split(train(64)).heldOut().size()).isEqualTo(16);
  }

  @Test
  void trainingSplitThatTheHoldoutWouldExhaustIsRefused() {
    FitnessHoldout h = new FitnessHoldout(0.01, 100);

    assertThat(h.fits(101)).isTrue();
    assertThat(h.fits(100)).isFalse();
    assertThatThrownBy(() -> h.split(train(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holding out 100 of 100");
  }

  @Test
  void fractionOutsideZeroToOneOrNoMinimumIsRejected() {
    assertThatThrownBy(() -> new FitnessHoldout(1.0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FitnessHoldout(-0.1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FitnessHoldout(0.01, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Dataset train(int n) {
    List<Example> ex = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ex.add(new Example("text " + i, null, i % 2 == 0 ? "a" : "b", null, "train-" + i));
    }
    return new Dataset("t", TaskType.CLASSIFICATION, LabelMap.of("a", "b"), ex);
  }

  private static List<String> ids(Dataset d) {
    return IntStream.range(0, d.size()).mapToObj(i -> d.get(i).id()).toList();
  }
}
