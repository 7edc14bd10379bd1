package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnedSamplerTest {
  private static final int CANDIDATES = 60;
  private static final int INIT = 20;

  @Test
  void learnedProposalsBeatRandomOnASyntheticFitness(@TempDir Path dir) {
    SearchSpace space = SyntheticSearch.space();
    CandidateEvaluator fitness = SyntheticSearch.firstLayerSize(space);
    double learned = 0;
    double random = 0;
    for (long seed = 1; seed <= 2; seed++) {
      learned +=
          meanAfterInit(run(dir.resolve("l" + seed), space, learned(space, seed), fitness, seed));
      random +=
          meanAfterInit(
              run(dir.resolve("r" + seed), space, new RandomSampler(space, 100), fitness, seed));
    }
    learned /= 2;
    random /= 2;
    assertThat(learned)
        .as("learned %.2f vs random %.2f", learned, random)
        .isGreaterThan(random + 2);
  }

  @Test
  void everyProposalMeetsTheBudgetAndIsNew(@TempDir Path dir) {
    SearchSpace space = SyntheticSearch.space();
    List<EvaluatedCandidate> h =
        run(dir, space, learned(space, 3), SyntheticSearch.firstLayerSize(space), 3);
    assertThat(h).hasSize(CANDIDATES);
    assertThat(h.stream().map(EvaluatedCandidate::key).distinct()).hasSize(CANDIDATES);
    for (EvaluatedCandidate c : h) {
      assertThat(space.budget().contains(space.parameters(c.spec().layers()))).isTrue();
      assertThat(c.fitness().parameters()).isBetween(15_000_000L, 16_000_000L);
    }
  }

  @Test
  void stoppedAndResumedSearchEqualsAnUninterruptedOne(@TempDir Path dir) {
    SearchSpace space = SyntheticSearch.space();
    CandidateEvaluator fitness = SyntheticSearch.firstLayerSize(space);
    Path whole = dir.resolve("whole.json");
    Path parts = dir.resolve("parts.json");
    SearchResult a = controller(whole, space, learned(space, 4), fitness, 4, 35).run();
    SearchResult first = controller(parts, space, learned(space, 4), fitness, 4, 23).run();
    assertThat(first.finished()).isTrue();
    assertThat(first.evaluated()).isEqualTo(23);
    // A fresh sampler, as after a restart: it must refit the same trees from the saved history.
    SearchResult b = controller(parts, space, learned(space, 4), fitness, 4, 35).run();

    assertThat(b.evaluated()).isEqualTo(35);
    assertThat(b.hallOfFame()).isEqualTo(a.hallOfFame());
    assertThat(new SearchStateStore(parts).read().orElseThrow().history())
        .isEqualTo(new SearchStateStore(whole).read().orElseThrow().history());
  }

  private static LearnedSampler learned(SearchSpace space, long seed) {
    return LearnedSampler.builder()
        .setSpace(space)
        .optInitSamples(INIT)
        .optTrainInterval(10)
        .optMaxTries(2000)
        .optTuner(new GbdtTuner(3, 0.2))
        .optSeed(seed)
        .build();
  }

  private static SearchController controller(
      Path state,
      SearchSpace space,
      CandidateSampler sampler,
      CandidateEvaluator e,
      long seed,
      int n) {
    return SearchController.builder()
        .setSpace(space)
        .setSampler(sampler)
        .setEvaluator(e)
        .setStateFile(state)
        .optSeed(seed)
        .optCandidates(n)
        .optHallOfFameSize(5)
        .build();
  }

  private static List<EvaluatedCandidate> run(
      Path dir, SearchSpace space, CandidateSampler sampler, CandidateEvaluator e, long seed) {
    Path state = dir.resolve("state.json");
    controller(state, space, sampler, e, seed, CANDIDATES).run();
    return new SearchStateStore(state).read().orElseThrow().history();
  }

  private static double meanAfterInit(List<EvaluatedCandidate> h) {
    return h.subList(INIT, h.size()).stream()
        .mapToDouble(EvaluatedCandidate::value)
        .average()
        .orElseThrow();
  }
}
