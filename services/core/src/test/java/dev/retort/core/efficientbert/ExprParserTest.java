package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprParserTest {

  @Test
  void allSixPublishedExpressionsRoundTripExactly() {
    for (String text : EfficientBertArch.PUBLISHED_FFN) {
      Expr expr = ExprParser.parse(text);
      assertThat(expr.toString()).isEqualTo(text);
      assertThat(ExprParser.parse(expr.toString())).isEqualTo(expr);
    }
  }

  @Test
  void parsedTreeHasTheExpectedStructure() {
    Expr expr = Expr.parse("linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)");
    Expr inner = new Expr.Linear(LinearSize.of(1, 2), Expr.x(), Expr.wb1());
    Expr expected =
        new Expr.Linear(
            LinearSize.of(1, 2),
            new Expr.Unary(Activation.RELU, new Expr.Binary(BinaryOp.MUL, inner, Expr.x())),
            Expr.wb2());
    assertThat(expr).isEqualTo(expected);
  }

  @Test
  void deapStyleSpacesAreAcceptedAndPrintedWithout() {
    Expr expr = Expr.parse(" linear(gelu( linear(x, wb1) ), wb2) ");
    assertThat(expr.toString()).isEqualTo("linear(gelu(linear(x,wb1)),wb2)");
    assertThat(((Expr.Linear) expr).size()).isEqualTo(LinearSize.GENERIC);
  }

  @Test
  void everyActivationAndBinaryOpParses() {
    for (Activation a : Activation.values()) {
      assertThat(Expr.parse(a.token() + "(x)")).isEqualTo(new Expr.Unary(a, Expr.x()));
    }
    for (BinaryOp b : BinaryOp.values()) {
      assertThat(Expr.parse(b.token() + "(x,wb1)").toString()).isEqualTo(b.token() + "(x,wb1)");
    }
  }

  @Test
  void unknownOperatorIsReportedWithItsColumn() {
    assertThatThrownBy(() -> ExprParser.parse("linear1_1(gleu(linear1_1(x,wb1)),wb2)"))
        .isInstanceOf(RetortException.class)
        .satisfies(
            e -> {
              RetortException r = (RetortException) e;
              assertThat(r.where()).endsWith("column 11");
              assertThat(r.what()).contains("unknown operator or terminal 'gleu'");
              assertThat(r.fix()).contains("linearA_B");
            });
  }

  @Test
  void missingClosingParenthesisSaysWhatWasExpected() {
    RetortException e = parseError("gelu(linear1_1(x,wb1)");
    assertThat(e.where()).endsWith("column 22");
    assertThat(e.what()).contains("expected ',' or ')'").contains("the end of the expression");
  }

  @Test
  void tooManyArgumentsPointAtTheExtraComma() {
    RetortException e = parseError("gelu(x,x)");
    assertThat(e.where()).endsWith("column 7");
    assertThat(e.what()).contains("'gelu' takes 1 argument").contains("expected ')'");
  }

  @Test
  void tooFewArgumentsPointAtTheClosingParenthesis() {
    RetortException e = parseError("add(x)");
    assertThat(e.where()).endsWith("column 6");
    assertThat(e.what()).contains("'add' takes 2 arguments but got 1");
  }

  @Test
  void terminalWithArgumentsIsRejected() {
    RetortException e = parseError("gelu(x(wb1))");
    assertThat(e.where()).endsWith("column 7");
    assertThat(e.what()).contains("terminal 'x' takes no arguments");
  }

  @Test
  void operatorWithoutArgumentsIsRejected() {
    RetortException e = parseError("gelu");
    assertThat(e.where()).endsWith("column 5");
    assertThat(e.what()).contains("expected '(' after 'gelu'");
  }

  @Test
  void linearSizeOutOfRangeIsRejected() {
    RetortException e = parseError("linear5_2(x,wb1)");
    assertThat(e.where()).endsWith("column 1");
    assertThat(e.what()).contains("5_2").contains("outside 1_1 .. 4_4");
  }

  @Test
  void trailingTextAndEmptyInputAreRejected() {
    assertThat(parseError("gelu(x))").what()).contains("unexpected ')' after the end");
    assertThat(parseError("").what()).contains("expected an operator or a terminal");
    assertThat(parseError("gelu(,x)").where()).endsWith("column 6");
  }

  @Test
  void errorMessageQuotesTheExpression() {
    RetortException e = parseError("relu(y)");
    assertThat(e.getMessage()).startsWith("FFN expression 'relu(y)', column 6: unknown");
  }

  @Test
  void ofRejectsWrongChildCount() {
    assertThatThrownBy(() -> Expr.of(Activation.GELU, List.of(Expr.x(), Expr.x())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static RetortException parseError(String text) {
    try {
      ExprParser.parse(text);
    } catch (RetortException e) {
      return e;
    }
    throw new AssertionError("no parse error for '" + text + "'");
  }
}
