package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.ValidityRules.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidityRulesTest {
  private final ValidityRules rules = ValidityRules.defaults();

  private List<Rule> check(String text) {
    return rules.check(Expr.parse(text));
  }

  @Test
  void publishedAndInitialExpressionsAreValidAtTheirWidths() {
    for (String text : EfficientBertArch.PUBLISHED_FFN) {
      Expr expr = Expr.parse(text);
      int inner = ExprTrees.firstLinearSize(expr).innerWidth(540);
      assertThat(rules.check(expr, 540, inner)).as(text).isEmpty();
    }
    for (LinearSize size : LinearSize.all()) {
      String base = "linear" + size.key();
      String text = base + "(gelu(" + base + "(x,wb1)),wb2)";
      assertThat(rules.check(Expr.parse(text), 360, size.innerWidth(360))).as(text).isEmpty();
    }
  }

  @Test
  void weightPairUsedAsTensorFailsToRun() {
    assertThat(check("linear1_1(gelu(linear1_1(wb1,x)),wb2)")).containsExactly(Rule.RUNS);
    assertThat(check("add(linear1_1(gelu(linear1_1(x,wb1)),wb2),gelu(x))")).isEmpty();
  }

  @Test
  void heightOutsideThreeToSevenIsRejected() {
    assertThat(check("add(linear1_1(x,wb1),linear1_1(x,wb2))")).containsExactly(Rule.HEIGHT);
    // height 9: tanh add relu add tanh add linear gelu linear x
    String tall = "tanh(add(x,relu(add(x,tanh(add(x,linear1_1(gelu(linear1_1(x,wb1)),wb2)))))))";
    assertThat(ExprTrees.height(Expr.parse(tall))).isEqualTo(9);
    assertThat(check(tall)).containsExactly(Rule.HEIGHT);
    // height 6 is inside the default bounds and outside [3, 5]
    String six = "tanh(add(x,linear1_1(gelu(add(x,linear1_1(x,wb1))),wb2)))";
    assertThat(ExprTrees.height(Expr.parse(six))).isEqualTo(6);
    assertThat(new ValidityRules(3, 5).check(Expr.parse(six))).containsExactly(Rule.HEIGHT);
    assertThat(check(six)).isEmpty();
  }

  @Test
  void expressionWithoutXIsRejected() {
    assertThat(check("linear1_1(gelu(linear1_1(wb1,wb1)),wb2)")).contains(Rule.CONTAINS_X);
    assertThat(check("linear1_1(gelu(linear1_1(x,wb1)),wb2)")).doesNotContain(Rule.CONTAINS_X);
  }

  @Test
  void weightPairsMustAppearOnceWithWb1First() {
    assertThat(check("linear1_1(gelu(linear1_1(x,wb2)),wb1)"))
        .containsExactly(Rule.WEIGHTS_ONCE_IN_ORDER);
    assertThat(check("add(linear1_1(gelu(linear1_1(x,wb1)),wb2),linear1_1(x,wb1))"))
        .contains(Rule.WEIGHTS_ONCE_IN_ORDER);
    assertThat(check("gelu(linear1_1(gelu(x),wb1))")).contains(Rule.WEIGHTS_ONCE_IN_ORDER);
  }

  @Test
  void activationDirectlyInsideActivationIsRejected() {
    assertThat(check("linear1_1(tanh(gelu(linear1_1(x,wb1))),wb2)"))
        .containsExactly(Rule.NESTED_ACTIVATION);
  }

  @Test
  void linearDirectlyInsideLinearIsRejected() {
    assertThat(check("gelu(linear1_1(linear1_1(x,wb1),wb2))")).containsExactly(Rule.NESTED_LINEAR);
  }

  @Test
  void linearsWithDifferentSizesAreRejected() {
    assertThat(check("linear1_2(gelu(linear1_1(x,wb1)),wb2)"))
        .containsExactly(Rule.INCONSISTENT_LINEAR);
  }

  @Test
  void binaryOpWithIdenticalOperandsIsRejectedEvenWhenTheyContainCommas() {
    assertThat(check("linear1_1(gelu(linear1_1(add(tanh(x),tanh(x)),wb1)),wb2)"))
        .containsExactly(Rule.IDENTICAL_OPERANDS);
    // the reference regex misses this one; the tree check does not
    assertThat(check("linear1_1(gelu(linear1_1(mul(max(x,tanh(x)),max(x,tanh(x))),wb1)),wb2)"))
        .containsExactly(Rule.IDENTICAL_OPERANDS);
    assertThat(check("linear1_1(gelu(linear1_1(max(x,tanh(x)),wb1)),wb2)")).isEmpty();
  }

  @Test
  void widthRuleRejectsWb2LinearFedWithFullWidthInput() {
    Expr expr = Expr.parse("add(gelu(linear1_2(x,wb1)),linear1_2(x,wb2))");
    assertThat(rules.check(expr)).isEmpty();
    assertThat(rules.check(expr, 540, 270)).containsExactly(Rule.WIDTHS);
    // at ratio 1 (m = H) the same shape of tree fits
    Expr full = ExprTrees.withLinearSize(expr, LinearSize.of(1, 1));
    assertThat(rules.check(full, 540, 540)).isEmpty();
  }
}
