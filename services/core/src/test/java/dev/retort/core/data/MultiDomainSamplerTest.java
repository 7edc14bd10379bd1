package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.text.LengthBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MultiDomainSamplerTest {
  private static MultiDomainSampler sampler(long seed) {
    // domain 0: 6 examples, domain 1 (fit): 10, domain 2: 25
    return MultiDomainSampler.builder()
        .setDomains(
            List.of(
                EncodedFixtures.varied("a", 0, 6),
                EncodedFixtures.varied("fit", 1, 10),
                EncodedFixtures.varied("c", 2, 25)))
        .setFitDomain(1)
        .setBatchSize(4)
        .optBuckets(LengthBuckets.of(64, 16, 32))
        .optSeed(seed)
        .build();
  }

  private static Set<List<Integer>> batchesOf(MultiDomainSampler s, int epoch, int domain) {
    Set<List<Integer>> out = new HashSet<>();
    for (int k = 0; k < s.stepsPerEpoch(); k++) {
      out.add(Arrays.stream(s.indices(epoch, k)[domain]).boxed().collect(Collectors.toList()));
    }
    return out;
  }

  @Test
  void epochLengthIsSetByTheFitDomain() {
    assertThat(sampler(1).stepsPerEpoch()).isEqualTo(3);
  }

  @Test
  void fitDomainIsInOrderAndWrapsOnTheLastBatch() {
    MultiDomainSampler s = sampler(1);
    for (int epoch = 0; epoch < 3; epoch++) {
      assertThat(s.indices(epoch, 0)[1]).containsExactly(0, 1, 2, 3);
      assertThat(s.indices(epoch, 1)[1]).containsExactly(4, 5, 6, 7);
      assertThat(s.indices(epoch, 2)[1]).containsExactly(8, 9, 0, 1);
    }
  }

  @Test
  void smallerDomainsCycleAndLargerOnesAreTruncatedToTheFitLength() {
    MultiDomainSampler s = sampler(1);
    // domain 0 (6 examples): positions k*4+j mod 6
    assertThat(batchesOf(s, 0, 0))
        .containsExactlyInAnyOrder(List.of(0, 1, 2, 3), List.of(4, 5, 0, 1), List.of(2, 3, 4, 5));
    // domain 2 (25 examples) truncated to 10: same batches as the fit domain
    assertThat(batchesOf(s, 0, 2))
        .containsExactlyInAnyOrder(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9, 0, 1));
    assertThat(batchesOf(s, 4, 2)).isEqualTo(batchesOf(s, 0, 2));
  }

  @Test
  void otherDomainsBatchOrderIsShuffledPerEpochFromTheSeed() {
    MultiDomainSampler s = sampler(1);
    List<List<Integer>> orders = new ArrayList<>();
    for (int epoch = 0; epoch < 8; epoch++) {
      List<Integer> firsts = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        firsts.add(s.indices(epoch, k)[2][0]);
      }
      orders.add(firsts);
    }
    assertThat(new HashSet<>(orders)).hasSizeGreaterThan(1);
    assertThat(sampler(1).indices(5, 2)).isDeepEqualTo(s.indices(5, 2));
  }

  @Test
  void stepsHoldOnePaddedBatchPerDomain() {
    MultiDomainStep step = sampler(3).step(new BatchPosition(2, 1));
    assertThat(step.batches()).hasSize(3);
    for (int d = 0; d < 3; d++) {
      Batch b = step.domain(d);
      assertThat(b.size()).isEqualTo(4);
      assertThat(b.domainIds()).containsOnly(d);
      assertThat(b.epoch()).isEqualTo(2);
      assertThat(b.index()).isEqualTo(1);
      assertThat(b.length()).isIn(16, 32, 64);
    }
    List<MultiDomainStep> epoch = new ArrayList<>();
    sampler(3).epoch(2).forEach(epoch::add);
    assertThat(epoch).hasSize(3);
    assertThat(epoch.get(1)).isEqualTo(step);
  }
}
