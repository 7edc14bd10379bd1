package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionalHashTest {
  private final FunctionalHash hasher = smallHasher(1L);

  private static FunctionalHash smallHasher(long seed) {
    return FunctionalHash.builder()
        .setHiddenSize(12)
        .optBatchSize(2)
        .optSeqLength(4)
        .optSeed(seed)
        .build();
  }

  private static List<Expr> published() {
    List<Expr> out = new ArrayList<>();
    EfficientBertArch.PUBLISHED_FFN.forEach(t -> out.add(Expr.parse(t)));
    return out;
  }

  private static List<Expr> withLayer(List<Expr> layers, int index, String text) {
    List<Expr> out = new ArrayList<>(layers);
    out.set(index, Expr.parse(text));
    return out;
  }

  @Test
  void commutedMaxOperandsHashEqually() {
    List<Expr> a = published();
    List<Expr> b = withLayer(a, 3, "linear2_2(gelu(linear2_2(max(tanh(x),x),wb1)),wb2)");
    assertThat(b).isNotEqualTo(a);
    assertThat(hasher.hash(b)).isEqualTo(hasher.hash(a));
  }

  @Test
  void commutedMulAndAddOperandsHashEqually() {
    List<Expr> a = published();
    List<Expr> b = withLayer(a, 4, "linear1_2(relu(mul(x,linear1_2(x,wb1))),wb2)");
    assertThat(hasher.hash(b)).isEqualTo(hasher.hash(a));
    List<Expr> c = withLayer(a, 0, "tanh(linear4_2(gelu(add(x,linear4_2(x,wb1))),wb2))");
    List<Expr> d = withLayer(a, 0, "tanh(linear4_2(gelu(add(linear4_2(x,wb1),x)),wb2))");
    assertThat(hasher.hash(c)).isEqualTo(hasher.hash(d));
  }

  @Test
  void differentOperatorsOrSizesHashDifferently() {
    List<Expr> a = published();
    double base = hasher.hash(a);
    assertThat(hasher.hash(withLayer(a, 2, "sigmoid(linear1_2(gelu(linear1_2(x,wb1)),wb2))")))
        .isNotEqualTo(base);
    assertThat(hasher.hash(withLayer(a, 5, "leaky_relu(linear2_4(gelu(linear2_4(x,wb1)),wb2))")))
        .isNotEqualTo(base);
    assertThat(hasher.hash(withLayer(a, 1, "swish(linear2_1(gelu(linear2_1(x,wb1)),wb2))")))
        .isNotEqualTo(base);
  }

  @Test
  void keyIsReproducibleAcrossInstancesAndDependsOnTheSeed() {
    List<Expr> a = published();
    assertThat(smallHasher(1L).hash(a)).isEqualTo(hasher.hash(a));
    assertThat(smallHasher(2L).hash(a)).isNotEqualTo(hasher.hash(a));
  }

  @Test
  void genericLinearsUseTheOneOneWeights() {
    List<Expr> sized = new ArrayList<>();
    List<Expr> generic = new ArrayList<>();
    for (Expr e : published()) {
      sized.add(ExprTrees.withLinearSize(e, LinearSize.of(1, 1)));
      generic.add(ExprTrees.withLinearSize(e, LinearSize.GENERIC));
    }
    assertThat(hasher.hash(generic)).isEqualTo(hasher.hash(sized));
  }

  @Test
  void keyIsRoundedToTwoDecimalsHalfEvenLikePython() {
    double key = hasher.hash(published());
    assertThat(key * 100).isCloseTo(Math.rint(key * 100), within(1e-6 * Math.abs(key * 100)));
    assertThat(FunctionalHash.round2(0.125)).isEqualTo(0.12);
    assertThat(FunctionalHash.round2(0.375)).isEqualTo(0.38);
    assertThat(FunctionalHash.round2(2.675)).isEqualTo(2.67); // 2.675 is 2.67499999... in binary
    assertThat(FunctionalHash.round2(-1.005)).isEqualTo(-1.0);
    assertThat(FunctionalHash.round2(Double.NaN)).isNaN();
  }
}
