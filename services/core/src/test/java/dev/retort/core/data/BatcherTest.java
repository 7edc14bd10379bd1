package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.text.LengthBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {
  private static final LengthBuckets BUCKETS = LengthBuckets.of(64, 16, 32);

  private static Batcher batcher(EncodedDataset data, BatchOrder order, int b, boolean dropLast) {
    return Batcher.builder()
        .setData(data)
        .setBatchSize(b)
        .optBuckets(BUCKETS)
        .optOrder(order)
        .optSeed(7)
        .optDropLast(dropLast)
        .optChunkBatches(4)
        .build();
  }

  private static List<Integer> visited(Batcher batcher, int epoch) {
    List<Integer> out = new ArrayList<>();
    for (Batch b : batcher.epoch(epoch)) {
      Arrays.stream(b.exampleIndices()).forEach(out::add);
    }
    return out;
  }

  private static Set<List<Integer>> composition(Batcher batcher, int epoch) {
    Set<List<Integer>> out = new HashSet<>();
    for (Batch b : batcher.epoch(epoch)) {
      out.add(Arrays.stream(b.exampleIndices()).sorted().boxed().collect(Collectors.toList()));
    }
    return out;
  }

  @Test
  void fixedBatchesVisitEveryExampleOncePerEpochWithTheSameBatchesInANewOrder() {
    Batcher b = batcher(EncodedFixtures.varied("d", 0, 103), BatchOrder.FIXED_BATCHES, 8, false);
    assertThat(b.batchesPerEpoch()).isEqualTo(13);
    List<Integer> all = IntStream.range(0, 103).boxed().collect(Collectors.toList());
    assertThat(visited(b, 0)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(visited(b, 1)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(composition(b, 0)).isEqualTo(composition(b, 1));
    assertThat(visited(b, 0)).isNotEqualTo(visited(b, 1));
  }

  @Test
  void lengthGroupingNeedsLessPaddingThanReshuffling() {
    EncodedDataset data = EncodedFixtures.varied("d", 0, 400);
    long fixed = padding(batcher(data, BatchOrder.FIXED_BATCHES, 8, false));
    long random = padding(batcher(data, BatchOrder.RESHUFFLE_EACH_EPOCH, 8, false));
    assertThat(fixed).isLessThan(random / 2);
  }

  /** Sum over batches of (longest - length) per example: the padding without bucket rounding. */
  private static long padding(Batcher b) {
    long pad = 0;
    for (Batch batch : b.epoch(0)) {
      int[] real =
          Arrays.stream(batch.attentionMask()).mapToInt(r -> Arrays.stream(r).sum()).toArray();
      int longest = Arrays.stream(real).max().orElse(0);
      pad += Arrays.stream(real).map(x -> longest - x).sum();
    }
    return pad;
  }

  @Test
  void batchesArePaddedToTheirBucketWithMaskAndPadIds() {
    EncodedDataset data = EncodedFixtures.dataset("d", 3, 5, 17, 2, 9);
    Batch batch = batcher(data, BatchOrder.SEQUENTIAL, 2, false).batch(0, 0);
    assertThat(batch.length()).isEqualTo(32);
    assertThat(batch.exampleIndices()).containsExactly(0, 1);
    assertThat(batch.inputIds()[0]).hasSize(32).startsWith(1, 2, 3, 4, 5, 0);
    assertThat(Arrays.stream(batch.attentionMask()[0]).sum()).isEqualTo(5);
    assertThat(Arrays.stream(batch.attentionMask()[1]).sum()).isEqualTo(17);
    assertThat(batch.inputIds()[1][16]).isEqualTo(1017);
    assertThat(batch.inputIds()[1][17]).isEqualTo(EncodedFixtures.PAD);
    assertThat(batch.labels()).containsExactly(0, 1);
    assertThat(batch.domainIds()).containsExactly(3, 3);
    assertThat(batch.targets()).isNull();
    Batch second = batcher(data, BatchOrder.SEQUENTIAL, 2, false).batch(0, 1);
    assertThat(second.length()).isEqualTo(16);
  }

  @Test
  void dropLastRemovesOnlyAPartialFinalBatch() {
    EncodedDataset data = EncodedFixtures.varied("d", 0, 10);
    for (BatchOrder order : BatchOrder.values()) {
      Batcher keep = batcher(data, order, 4, false);
      Batcher drop = batcher(data, order, 4, true);
      assertThat(keep.batchesPerEpoch()).isEqualTo(3);
      assertThat(drop.batchesPerEpoch()).isEqualTo(2);
      assertThat(visited(keep, 0)).hasSize(10);
      for (Batch b : drop.epoch(0)) {
        assertThat(b.size()).as(order.name()).isEqualTo(4);
      }
    }
  }

  @Test
  void reshuffleChangesBatchCompositionBetweenEpochs() {
    Batcher b =
        batcher(EncodedFixtures.varied("d", 0, 50), BatchOrder.RESHUFFLE_EACH_EPOCH, 5, false);
    assertThat(visited(b, 0)).containsExactlyInAnyOrderElementsOf(visited(b, 1));
    assertThat(composition(b, 0)).isNotEqualTo(composition(b, 1));
  }

  @Test
  void sequentialKeepsDataOrder() {
    Batcher b = batcher(EncodedFixtures.varied("d", 0, 7), BatchOrder.SEQUENTIAL, 3, false);
    assertThat(visited(b, 0)).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(visited(b, 5)).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void aPositionFullyDeterminesTheFollowingBatchesAcrossInstances() {
    EncodedDataset data = EncodedFixtures.varied("d", 0, 37);
    for (BatchOrder order : BatchOrder.values()) {
      Batcher first = batcher(data, order, 4, false);
      List<Batch> stream = new ArrayList<>();
      first.from(BatchPosition.START, 30).forEach(stream::add);
      Batcher resumed = batcher(data, order, 4, false);
      BatchPosition p = BatchPosition.START;
      for (int i = 0; i < 17; i++) {
        p = p.next(resumed.batchesPerEpoch());
      }
      assertThat(p).isEqualTo(new BatchPosition(1, 7));
      assertThat(p.step(resumed.batchesPerEpoch())).isEqualTo(17);
      List<Batch> rest = new ArrayList<>();
      resumed.from(p, 13).forEach(rest::add);
      assertThat(rest).as(order.name()).isEqualTo(stream.subList(17, 30));
    }
  }

  @Test
  void anotherSeedGivesAnotherOrder() {
    EncodedDataset data = EncodedFixtures.varied("d", 0, 40);
    Batcher a = batcher(data, BatchOrder.FIXED_BATCHES, 4, false);
    Batcher b =
        Batcher.builder()
            .setData(data)
            .setBatchSize(4)
            .optBuckets(BUCKETS)
            .optSeed(8)
            .optChunkBatches(4)
            .build();
    assertThat(visited(a, 0)).isNotEqualTo(visited(b, 0));
  }
}
