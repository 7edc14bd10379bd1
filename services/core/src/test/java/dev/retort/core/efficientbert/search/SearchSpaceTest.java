package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.efficientbert.ExprTrees;
import dev.retort.core.efficientbert.FunctionalHash;
import dev.retort.core.efficientbert.LinearSize;
import dev.retort.core.efficientbert.ValidityRules;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  private static final EfficientBertArch PUBLISHED = EfficientBertArch.efficientBert();

  @Test
  void stageOneCandidatesAreValidRunAtFullWidthAndMeetTheReferenceBudget() {
    SearchSpace space =
        SearchSpace.builder()
            .setDims(PUBLISHED)
            .setStage(SearchStage.OPS_AND_SIZES)
            .optBudget(ParamBudget.reference())
            .optHash(null)
            .build();
    Random rnd = new Random(1);
    for (int i = 0; i < 5; i++) {
      List<Expr> c = space.sample(rnd).orElseThrow();
      assertThat(c).hasSize(6);
      long params = PUBLISHED.withLayerExpressions(c).paramCount(); // validates every layer
      assertThat(params).isBetween(15_000_000L, 16_000_000L).isEqualTo(space.parameters(c));
      for (Expr e : c) {
        int inner = ExprTrees.firstLinearSize(e).innerWidth(540);
        assertThat(ValidityRules.defaults().check(e, 540, inner)).as(e.toString()).isEmpty();
      }
      assertThat(space.features(c)).hasSize(6 * 20);
    }
  }

  @Test
  void stageTwoKeepsTheBestSizesAndMutatesTheSeedsOperators() {
    List<Expr> runnerUp =
        PUBLISHED.layerExpressions().stream()
            .map(e -> ExprTrees.withLinearSize(e, LinearSize.of(1, 1)))
            .toList();
    SearchSpace space =
        SearchSpace.builder()
            .setDims(PUBLISHED)
            .setStage(SearchStage.OPS)
            .optSeeds(List.of(PUBLISHED.layerExpressions(), runnerUp))
            .optHash(null)
            .build();
    Random rnd = new Random(2);
    for (int i = 0; i < 5; i++) {
      List<Expr> c = space.sample(rnd).orElseThrow();
      assertThat(c.stream().map(ExprTrees::firstLinearSize).toList())
          .isEqualTo(PUBLISHED.linearSizes());
      assertThat(c).isNotEqualTo(PUBLISHED.layerExpressions());
      assertThat(boxed(space.features(c)))
          .hasSize(120)
          .allMatch(v -> v >= -1 && v <= 13); // stage-2 ids
    }
  }

  @Test
  void stageThreeKeepsTheOperatorsAndDrawsSizes() {
    SearchSpace space = SyntheticSearch.space();
    String ops =
        PUBLISHED.layerExpressions().stream()
            .map(e -> ExprTrees.withLinearSize(e, LinearSize.GENERIC).toString())
            .collect(Collectors.joining(" | "));
    Random rnd = new Random(3);
    for (int i = 0; i < 10; i++) {
      List<Expr> c = space.sample(rnd).orElseThrow();
      String cOps =
          c.stream()
              .map(e -> ExprTrees.withLinearSize(e, LinearSize.GENERIC).toString())
              .collect(Collectors.joining(" | "));
      assertThat(cOps).isEqualTo(ops);
      assertThat(space.key(c))
          .isEqualTo(c.stream().map(Expr::toString).collect(Collectors.joining(" | ")));
      assertThat(boxed(space.features(c))).hasSize(6).allMatch(v -> v >= 0 && v < 16);
    }
  }

  @Test
  void functionalKeysIgnoreHowAnExpressionIsWritten() {
    EfficientBertArch tiny =
        EfficientBertArch.builder()
            .setHiddenSize(24)
            .setLayerExpressions(PUBLISHED.layerExpressions().subList(0, 2))
            .optNumHeads(4)
            .build();
    SearchSpace space =
        SearchSpace.builder()
            .setDims(tiny)
            .setStage(SearchStage.OPS_AND_SIZES)
            .optHash(
                FunctionalHash.builder().setHiddenSize(24).optBatchSize(2).optSeqLength(3).build())
            .build();
    List<Expr> a =
        List.of(
            ExprParser.parse("linear2_2(gelu(linear2_2(max(x,tanh(x)),wb1)),wb2)"),
            ExprParser.parse("linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)"));
    List<Expr> b =
        List.of(
            ExprParser.parse("linear2_2(gelu(linear2_2(max(tanh(x),x),wb1)),wb2)"),
            ExprParser.parse("linear1_2(relu(mul(x,linear1_2(x,wb1))),wb2)"));
    assertThat(space.key(a)).startsWith("hash:").isEqualTo(space.key(b));
  }

  @Test
  void laterStagesNeedThePreviousBest() {
    assertThatThrownBy(
            () -> SearchSpace.builder().setDims(PUBLISHED).setStage(SearchStage.OPS).build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("search.previous-stage");
  }

  @Test
  void impossibleBudgetGivesNoCandidate() {
    SearchSpace space =
        SearchSpace.builder()
            .setDims(PUBLISHED)
            .setStage(SearchStage.SIZES)
            .optSeeds(List.of(PUBLISHED.layerExpressions()))
            .optBudget(new ParamBudget(1, 2))
            .optMaxTries(20)
            .build();
    assertThat(space.sample(new Random(4))).isEmpty();
  }

  private static List<Double> boxed(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}
