package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class MutationsTest {
  private static final PrimitiveSet STAGE1 = PrimitiveSet.stage1();
  private static final Expr BASE = Expr.parse("linear2_2(gelu(linear2_2(x,wb1)),wb2)");

  /** Well-formed: every node's children match its arity and it prints and parses back. */
  private static void assertWellFormed(Expr expr, PrimitiveSet pset) {
    for (Expr node : ExprTrees.prefix(expr)) {
      assertThat(node.children()).hasSize(node.symbol().arity());
      assertThat(pset.contains(node.symbol())).as(node.toString()).isTrue();
    }
    assertThat(ExprParser.parse(expr.toString())).isEqualTo(expr);
  }

  private static List<Expr> run(long seed, int n, BiFunction<Expr, Random, Expr> op) {
    Random rnd = new Random(seed);
    List<Expr> out = new ArrayList<>();
    Expr current = BASE;
    for (int i = 0; i < n; i++) {
      current = op.apply(i % 5 == 0 ? BASE : current, rnd);
      out.add(current);
    }
    return out;
  }

  @Test
  void everyOperatorKeepsTreesWellFormedAndIsDeterministicFromASeed() {
    List<BiFunction<Expr, Random, Expr>> ops =
        List.of(
            (e, r) -> Mutations.uniform(e, STAGE1, r),
            (e, r) -> Mutations.nodeReplacement(e, STAGE1, r),
            (e, r) -> Mutations.ephemeral(e, STAGE1, r),
            (e, r) -> Mutations.insert(e, STAGE1, r));
    for (BiFunction<Expr, Random, Expr> op : ops) {
      List<Expr> first = run(42, 200, op);
      first.forEach(e -> assertWellFormed(e, STAGE1));
      assertThat(run(42, 200, op)).isEqualTo(first);
      assertThat(new HashSet<>(first).size()).isGreaterThan(1);
    }
  }

  @Test
  void genFullPutsEveryLeafAtTheSameDepth() {
    SplittableRandom rnd = new SplittableRandom(3);
    Set<Integer> heights = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Expr tree = Mutations.genFull(STAGE1, rnd, 0, 3);
      int h = ExprTrees.height(tree);
      heights.add(h);
      assertThat(leafDepths(tree, 0)).containsOnly(h);
      assertWellFormed(tree, STAGE1);
    }
    assertThat(heights).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  private static Set<Integer> leafDepths(Expr e, int depth) {
    Set<Integer> out = new HashSet<>();
    if (e.children().isEmpty()) {
      out.add(depth);
    }
    for (Expr c : e.children()) {
      out.addAll(leafDepths(c, depth + 1));
    }
    return out;
  }

  @Test
  void nodeReplacementKeepsTheRootTheShapeAndChangesAtMostOneSymbol() {
    Random rnd = new Random(5);
    for (int i = 0; i < 100; i++) {
      Expr mutated = Mutations.nodeReplacement(BASE, STAGE1, rnd);
      List<Expr> before = ExprTrees.prefix(BASE);
      List<Expr> after = ExprTrees.prefix(mutated);
      assertThat(after).hasSize(before.size());
      assertThat(mutated.symbol()).isEqualTo(BASE.symbol());
      int changed = 0;
      for (int k = 0; k < before.size(); k++) {
        assertThat(after.get(k).symbol().arity()).isEqualTo(before.get(k).symbol().arity());
        if (!after.get(k).symbol().equals(before.get(k).symbol())) {
          changed++;
        }
      }
      assertThat(changed).isLessThanOrEqualTo(1);
    }
    assertThat(Mutations.nodeReplacement(Expr.x(), STAGE1, rnd)).isEqualTo(Expr.x());
  }

  @Test
  void ephemeralChangesBothLinearsToOneNewSize() {
    Random rnd = new Random(11);
    for (int i = 0; i < 50; i++) {
      Expr mutated = Mutations.ephemeral(BASE, STAGE1, rnd);
      List<LinearSize> sizes = ExprTrees.linearSizes(mutated);
      assertThat(sizes).hasSize(2);
      assertThat(sizes.get(0)).isEqualTo(sizes.get(1)).isNotEqualTo(LinearSize.of(2, 2));
      assertThat(ExprTrees.withLinearSize(mutated, LinearSize.of(2, 2))).isEqualTo(BASE);
    }
    Expr generic = ExprTrees.withLinearSize(BASE, LinearSize.GENERIC);
    assertThat(Mutations.ephemeral(generic, PrimitiveSet.stage2(), rnd)).isEqualTo(generic);
  }

  @Test
  void insertPutsTheOldSubtreeUnderANewNode() {
    Random rnd = new Random(13);
    for (int i = 0; i < 100; i++) {
      Expr mutated = Mutations.insert(BASE, STAGE1, rnd);
      int grown = ExprTrees.size(mutated) - ExprTrees.size(BASE);
      assertThat(grown).isIn(1, 2); // the new node, plus a terminal for a binary op
      List<Expr> nodes = ExprTrees.prefix(mutated);
      boolean found = false;
      for (Expr node : nodes) {
        if (node.symbol().arity() == grown
            && node.children().stream().anyMatch(c -> isOriginalSubtree(c))) {
          found = true;
        }
      }
      assertThat(found).as(mutated.toString()).isTrue();
    }
  }

  private static boolean isOriginalSubtree(Expr candidate) {
    return ExprTrees.prefix(BASE).contains(candidate);
  }

  @Test
  void samplerReturnsValidMutantsDeterministically() {
    // about 0.2-0.5% of single mutation rounds pass the rules, so allow more than 1000 tries
    ExpressionSampler sampler =
        ExpressionSampler.builder()
            .setPrimitiveSet(STAGE1)
            .optWidthCheck(540, 540)
            .optMaxTries(10_000)
            .build();
    List<Expr> first = new ArrayList<>();
    List<Expr> second = new ArrayList<>();
    Random r1 = new Random(99);
    Random r2 = new Random(99);
    for (int i = 0; i < 12; i++) {
      Expr seed = Expr.parse(EfficientBertArch.PUBLISHED_FFN.get(i % 6));
      first.add(sampler.trySample(seed, r1).orElseThrow());
      second.add(sampler.trySample(seed, r2).orElseThrow());
    }
    assertThat(second).isEqualTo(first);
    for (Expr e : first) {
      assertThat(ValidityRules.defaults().check(e)).as(e.toString()).isEmpty();
      int inner = ExprTrees.firstLinearSize(e).innerWidth(540);
      assertThat(ExprShapes.widthError(e, 540, inner)).as(e.toString()).isEmpty();
    }
    assertThat(new HashSet<>(first).size()).isGreaterThan(8);
  }

  @Test
  void stageTwoSamplerKeepsTheGenericLinear() {
    ExpressionSampler sampler =
        ExpressionSampler.builder()
            .setPrimitiveSet(PrimitiveSet.stage2())
            .optMaxTries(ExpressionSampler.STAGE2_MAX_TRIES)
            .build();
    Expr seed = ExprTrees.withLinearSize(BASE, LinearSize.GENERIC);
    Random rnd = new Random(1);
    for (int i = 0; i < 10; i++) {
      Expr e = sampler.sample(seed, rnd);
      assertThat(ExprTrees.linearSizes(e)).containsOnly(LinearSize.GENERIC);
      assertThat(ValidityRules.defaults().isValid(e)).isTrue();
    }
  }

  @Test
  void samplerFallsBackToTheSeedWhenNoTryIsValid() {
    ExpressionSampler strict =
        ExpressionSampler.builder()
            .setPrimitiveSet(STAGE1)
            .optRules(new ValidityRules(20, 20))
            .optMaxTries(5)
            .build();
    assertThat(strict.trySample(BASE, new Random(0))).isEmpty();
    assertThat(strict.sample(BASE, new Random(0))).isSameAs(BASE);
  }
}
