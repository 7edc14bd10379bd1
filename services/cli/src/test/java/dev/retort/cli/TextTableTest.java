package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void plainTextAlignsColumnsAndRightAlignsNumbers() {
    TextTable t =
        new TextTable("method", "acc").rightAligned(1).row("none", "0.5").row("bert-emd", "0.8125");
    assertThat(t.render())
        .isEqualTo(
            "method       acc\n"
                + "--------  ------\n"
                + "none         0.5\n"
                + "bert-emd  0.8125\n");
  }

  @Test
  void markdownEscapesPipesAndMarksAlignment() {
    TextTable t = new TextTable("a", "b").rightAligned(1).row("x|y", "1");
    assertThat(t.markdown()).isEqualTo("| a | b |\n|---|---:|\n| x\\|y | 1 |\n");
  }

  @Test
  void missingCellsAreBlank() {
    assertThat(new TextTable("a", "b", "c").row("1").rows().get(0)).containsExactly("1", "", "");
  }

  @Test
  void formatsShowNumbersReadably() {
    assertThat(Formats.metric(0.81249)).isEqualTo("0.8125");
    assertThat(Formats.metric(Double.NaN)).isEqualTo(Formats.NONE);
    assertThat(Formats.metric(null)).isEqualTo(Formats.NONE);
    assertThat(Formats.percent(0.97312)).isEqualTo("97.3%");
    assertThat(Formats.parameters(14_350_000)).isEqualTo("14.35M");
    assertThat(Formats.parameters(999_171)).isEqualTo("999.2K");
    assertThat(Formats.parameters(512)).isEqualTo("512");
    assertThat(Formats.factor(3.96)).isEqualTo("4.0x");
    assertThat(Formats.duration(4.24)).isEqualTo("4.2s");
    assertThat(Formats.duration(83.4)).isEqualTo("1m 23s");
    assertThat(Formats.duration(3725)).isEqualTo("1h 02m");
  }

  @Test
  void lossesShowTheTotalThenTheTerms() {
    var terms = new java.util.LinkedHashMap<String, Double>();
    terms.put("kd", 0.41);
    terms.put("pred", 0.1221);
    terms.put("total", 0.5321);
    assertThat(ProgressListener.losses(terms)).isEqualTo("0.5321 [kd 0.4100 pred 0.1221]");
    assertThat(ProgressListener.losses(java.util.Map.of("ce", 1.0, "total", 1.0)))
        .isEqualTo("1.000");
  }
}
