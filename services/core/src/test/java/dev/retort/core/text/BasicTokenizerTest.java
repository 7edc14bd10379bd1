package dev.retort.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BasicTokenizerTest {
  private final BasicTokenizer uncased = new BasicTokenizer(true, true);

  @Test
  void controlCharactersAreDroppedAndWhitespaceBecomesSpace() {
    assertThat(uncased.normalize("a\u0000b\u0007c\u200Bd\tE\u00A0f\uFFFDg")).isEqualTo("abcd e fg");
  }

  @Test
  void accentsAreStrippedAfterCanonicalDecomposition() {
    assertThat(uncased.normalize("Crème Brûlée e\u0301")).isEqualTo("creme brulee e");
    assertThat(new BasicTokenizer(true, false).normalize("É")).isEqualTo("é");
  }

  @Test
  void lowercasingIsPerCodePointWithoutFinalSigma() {
    assertThat(new BasicTokenizer(true, false).normalize("ΟΔΟΣ")).isEqualTo("οδοσ");
    assertThat(new BasicTokenizer(true, false).normalize("İ")).isEqualTo("i\u0307");
  }

  @Test
  void punctuationIncludingAsciiSymbolsIsIsolated() {
    assertThat(uncased.split("a$b+c-d's \"e\"…"))
        .containsExactly("a", "$", "b", "+", "c", "-", "d", "'", "s", "\"", "e", "\"", "…");
  }

  @Test
  void cjkIdeographsAreSplitButKanaIsNot() {
    // The dakuten of が is a combining mark after NFD, so accent stripping removes it.
    assertThat(uncased.split("東京ひらがな")).containsExactly("東", "京", "ひらかな");
  }
}
