package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void splitMix64MatchesTheReferenceSequence() {
    // Reference outputs of SplitMix64 (Steele, Lea, Flood 2014) seeded with 0.
    SeededRandom r = new SeededRandom(0);
    assertThat(r.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(r.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
  }

  @Test
  void shufflesArePermutationsAndDependOnlyOnTheSeed() {
    List<Integer> a = Splits.shuffled(range(100), 5);
    assertThat(a).containsExactlyInAnyOrderElementsOf(range(100)).isNotEqualTo(range(100));
    assertThat(Splits.shuffled(range(100), 5)).isEqualTo(a);
    assertThat(Splits.shuffled(range(100), 6)).isNotEqualTo(a);
    assertThat(SeededRandom.of(1, 2, 3).nextLong()).isEqualTo(SeededRandom.of(1, 2, 3).nextLong());
    assertThat(SeededRandom.of(1, 2, 3).nextLong())
        .isNotEqualTo(SeededRandom.of(1, 3, 2).nextLong());
  }

  @Test
  void nextIntIsRoughlyUniform() {
    SeededRandom r = new SeededRandom(3);
    int[] counts = new int[6];
    for (int i = 0; i < 60_000; i++) {
      counts[r.nextInt(6)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_500, 10_500);
    }
  }

  @Test
  void cutAndProportionalSizes() {
    List<List<Integer>> parts = Splits.cut(range(5), 2, 0, 3);
    assertThat(parts.get(0)).containsExactly(0, 1);
    assertThat(parts.get(1)).isEmpty();
    assertThat(parts.get(2)).containsExactly(2, 3, 4);
    assertThatThrownBy(() -> Splits.cut(range(5), 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Splits.proportionalSizes(2000, 0.09, 0.10)).containsExactly(1620, 180, 200);
  }

  @Test
  void prefixTruncatesLikePythonInt() {
    assertThat(Splits.count(11, 0.9)).isEqualTo(9);
    assertThat(Splits.count(10, 0.9)).isEqualTo(9);
    assertThat(Splits.prefix(range(7), 0.5)).containsExactly(0, 1, 2);
  }

  @Test
  void subsetKeepsOriginalOrderAndAtLeastOne() {
    List<Integer> s = Splits.subset(range(100), 0.1, 9);
    assertThat(s).hasSize(10).isSorted();
    assertThat(Splits.subset(range(100), 0.1, 9)).isEqualTo(s);
    assertThat(Splits.subset(range(5), 0.01, 9)).hasSize(1);
    assertThat(Splits.subset(range(5), 0.0, 9)).isEmpty();
  }

  @Test
  void fewShotIsStratifiedByDomainAndLabel() {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String domain = i % 4 == 0 ? "small" : "big";
      String label = i % 2 == 0 ? "positive" : "negative";
      examples.add(new Example("t" + i, null, label, domain, "id" + i));
    }
    Dataset d =
        new Dataset("d", TaskType.CLASSIFICATION, LabelMap.of("negative", "positive"), examples);
    Dataset few = Splits.fewShot(d, 0.1, 1);
    // groups: small/positive 50, big/positive 50, big/negative 100 -> 5 + 5 + 10
    assertThat(few.size()).isEqualTo(20);
    assertThat(few.examples().stream().filter(e -> e.domain().equals("small")).count())
        .isEqualTo(5);
    assertThat(few.examples().stream().filter(e -> e.label().equals("negative")).count())
        .isEqualTo(10);
    assertThat(Splits.fewShot(d, 0.1, 1)).isEqualTo(few);
    assertThat(few.name()).isEqualTo("d@0.1");
  }
}
