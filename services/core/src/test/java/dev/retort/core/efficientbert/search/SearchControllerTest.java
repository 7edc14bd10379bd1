package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.train.TrainingDivergedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchControllerTest {
  private final SearchSpace space = SyntheticSearch.space();

  @Test
  void failingOrNanCandidatesGetFitnessZeroAndTheSearchGoesOn(@TempDir Path dir) {
    CandidateEvaluator flaky =
        spec ->
            switch (spec.index()) {
              case 1 -> throw new IllegalStateException("expression does not run");
              case 2 ->
                  throw new TrainingDivergedException("candidate-finetune", 2, "the loss (NaN)");
              case 3 -> Fitness.ok(Double.NaN, 1, 0);
              default -> Fitness.ok(0.5, 1, 0);
            };
    SearchResult r = controller(dir, new RandomSampler(space, 100), flaky, 4).build().run();

    assertThat(r.evaluated()).isEqualTo(4);
    List<EvaluatedCandidate> h =
        new SearchStateStore(dir.resolve("s.json")).read().orElseThrow().history();
    assertThat(h.get(1).fitness().failed()).isTrue();
    assertThat(h.get(1).value()).isZero();
    assertThat(h.get(1).fitness().error()).contains("expression does not run");
    assertThat(h.get(1).fitness().parameters()).isBetween(15_000_000L, 16_000_000L);
    assertThat(h.get(2).fitness().error()).contains("NaN");
    assertThat(h.get(3).fitness().failed()).isTrue();
    assertThat(h.get(3).value()).isZero();
    assertThat(r.best().value()).isEqualTo(0.5);
    assertThat(r.hallOfFame()).extracting(c -> c.spec().index()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void initialCandidatesComeFirstAndSeedsDependOnSeedStageAndIndex(@TempDir Path dir) {
    EfficientBertArch published = EfficientBertArch.efficientBert();
    SearchResult r =
        controller(dir, new RandomSampler(space, 100), SyntheticSearch.firstLayerSize(space), 3)
            .optInitialCandidates(List.of(published.layerExpressions()))
            .build()
            .run();
    List<EvaluatedCandidate> h =
        new SearchStateStore(dir.resolve("s.json")).read().orElseThrow().history();

    assertThat(h.get(0).spec().expressions()).isEqualTo(EfficientBertArch.PUBLISHED_FFN);
    assertThat(h.stream().map(c -> c.spec().seed()).distinct()).hasSize(3);
    assertThat(r.evaluated()).isEqualTo(3);
  }

  @Test
  void stateOfAnotherSearchIsRefused(@TempDir Path dir) {
    controller(dir, new RandomSampler(space, 100), SyntheticSearch.firstLayerSize(space), 2)
        .build()
        .run();
    assertThatThrownBy(
            () ->
                controller(
                        dir, new RandomSampler(space, 50), SyntheticSearch.firstLayerSize(space), 3)
                    .build()
                    .run())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("belongs to a different search");
    assertThatThrownBy(
            () ->
                controller(
                        dir,
                        new RandomSampler(space, 100),
                        SyntheticSearch.firstLayerSize(space),
                        3)
                    .optSeed(99)
                    .build()
                    .run())
        .hasMessageContaining("seed 42");
  }

  @Test
  void timeLimitOrCancellationStopsBeforeTheNextCandidate(@TempDir Path dir) {
    SearchResult timed =
        controller(
                dir.resolve("a"),
                new RandomSampler(space, 100),
                SyntheticSearch.firstLayerSize(space),
                5)
            .optTimeLimit(Duration.ZERO)
            .build()
            .run();
    int[] calls = {0};
    SearchResult cancelled =
        controller(
                dir.resolve("b"),
                new RandomSampler(space, 100),
                SyntheticSearch.firstLayerSize(space),
                5)
            .optCancelled(() -> calls[0]++ >= 2)
            .build()
            .run();

    assertThat(timed.evaluated()).isZero();
    assertThat(timed.finished()).isFalse();
    assertThat(cancelled.evaluated()).isEqualTo(2);
    assertThat(cancelled.finished()).isFalse();
  }

  @Test
  void cancelledCandidateIsNotRecordedAndIsEvaluatedAgainOnResume(@TempDir Path dir) {
    CandidateEvaluator interrupted =
        spec -> {
          if (spec.index() == 1) {
            throw new CandidateCancelledException(1);
          }
          return Fitness.ok(spec.index(), 1, 0);
        };
    SearchResult stopped =
        controller(dir, new RandomSampler(space, 100), interrupted, 3).build().run();
    SearchResult resumed =
        controller(dir, new RandomSampler(space, 100), spec -> Fitness.ok(spec.index(), 1, 0), 3)
            .build()
            .run();

    assertThat(stopped.evaluated()).isEqualTo(1);
    assertThat(stopped.finished()).isFalse();
    assertThat(resumed.evaluated()).isEqualTo(3);
    assertThat(resumed.best().spec().index()).isEqualTo(2);
  }

  @Test
  void populationsRunConcurrentlyAndAnInterruptedOneIsResumedFromItsPendingSpecs(@TempDir Path dir)
      throws Exception {
    // Candidates 0 and 1 form the first population; both must be in flight together.
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    CandidateEvaluator together =
        spec -> {
          if (spec.index() < 2) {
            both.countDown();
            try {
              if (!both.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("candidate " + spec.index() + " ran alone");
              }
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          if (spec.index() == 3) {
            throw new CandidateCancelledException(3);
          }
          return Fitness.ok(spec.index(), 1, 0);
        };
    SearchResult stopped =
        controller(dir, new RandomSampler(space, 100), together, 4).optParallel(2).build().run();
    SearchState mid = new SearchStateStore(dir.resolve("s.json")).read().orElseThrow();

    java.util.List<Integer> seenOnResume = new java.util.concurrent.CopyOnWriteArrayList<>();
    SearchResult resumed =
        controller(
                dir,
                new RandomSampler(space, 100),
                spec -> {
                  seenOnResume.add(spec.index());
                  return Fitness.ok(spec.index(), 1, 0);
                },
                4)
            .optParallel(2)
            .build()
            .run();
    SearchResult sequential =
        controller(dir.resolve("seq"), new RandomSampler(space, 100), spec -> Fitness.ok(spec.index(), 1, 0), 4)
            .optParallel(2)
            .build()
            .run();

    assertThat(stopped.evaluated()).isEqualTo(3);
    assertThat(mid.pending()).extracting(CandidateSpec::index).containsExactly(3);
    assertThat(seenOnResume).containsExactly(3);
    assertThat(resumed.evaluated()).isEqualTo(4);
    assertThat(new SearchStateStore(dir.resolve("s.json")).read().orElseThrow().pending()).isEmpty();
    assertThat(resumed.hallOfFame())
        .extracting(c -> c.spec().expressions())
        .isEqualTo(sequential.hallOfFame().stream().map(c -> c.spec().expressions()).toList());
  }

  private SearchController.Builder controller(
      Path dir, CandidateSampler sampler, CandidateEvaluator e, int n) {
    return SearchController.builder()
        .setSpace(space)
        .setSampler(sampler)
        .setEvaluator(e)
        .setStateFile(dir.resolve("s.json"))
        .optCandidates(n);
  }
}
