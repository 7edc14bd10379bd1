package dev.retort.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
  private static final List<String> LINES =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "runn", "##ing",
          "run", ",", "!", "the", "The", "cafe", "café", "a", "##b", "中", "hello");

  private static Vocabulary vocab() {
    return Vocabulary.of(LINES, "test-vocab");
  }

  @Test
  void greedyLongestMatchFirstSplitsWithContinuationPrefix() {
    WordPieceTokenizer t = WordPieceTokenizer.uncased(vocab());
    assertThat(t.tokenize("unaffable running"))
        .containsExactly("un", "##aff", "##able", "runn", "##ing");
    assertThat(t.encode("unaffable")).containsExactly(5, 6, 7);
  }

  @Test
  void aWordWithAnUnmatchedRemainderBecomesOneUnk() {
    WordPieceTokenizer t = WordPieceTokenizer.uncased(vocab());
    assertThat(t.tokenize("unaffablex the")).containsExactly("[UNK]", "the");
    assertThat(t.encode("unaffablex")).containsExactly(1);
  }

  @Test
  void wordsLongerThanTheLimitBecomeUnkCountingCodePoints() {
    WordPieceTokenizer t =
        WordPieceTokenizer.builder().setVocabulary(vocab()).optMaxCharsPerWord(3).build();
    assertThat(t.tokenize("abb")).containsExactly("a", "##b", "##b");
    assertThat(t.tokenize("abbb")).containsExactly("[UNK]");
  }

  @Test
  void uncasedLowercasesStripsAccentsAndSplitsPunctuation() {
    WordPieceTokenizer t = WordPieceTokenizer.uncased(vocab());
    assertThat(t.tokenize("The CAFÉ,hello!")).containsExactly("the", "cafe", ",", "hello", "!");
  }

  @Test
  void casedKeepsCaseAndAccents() {
    WordPieceTokenizer t = WordPieceTokenizer.cased(vocab());
    assertThat(t.tokenize("The café the")).containsExactly("The", "café", "the");
    assertThat(t.tokenize("Café")).containsExactly("[UNK]");
  }

  @Test
  void cjkCharactersAreSeparateWords() {
    WordPieceTokenizer t = WordPieceTokenizer.uncased(vocab());
    assertThat(t.tokenize("hello中中")).containsExactly("hello", "中", "中");
  }

  @Test
  void literalSpecialTokensStayWholeUnlessDisabled() {
    WordPieceTokenizer keep = WordPieceTokenizer.uncased(vocab());
    assertThat(keep.tokenize("the[MASK]hello [SEP]"))
        .containsExactly("the", "[MASK]", "hello", "[SEP]");
    WordPieceTokenizer split =
        WordPieceTokenizer.builder().setVocabulary(vocab()).optKeepSpecialTokens(false).build();
    assertThat(split.tokenize("[MASK]")).containsExactly("[UNK]", "[UNK]", "[UNK]");
  }

  @Test
  void blankTextGivesNoTokens() {
    WordPieceTokenizer t = WordPieceTokenizer.uncased(vocab());
    assertThat(t.tokenize(" \t\n ")).isEmpty();
    assertThat(t.encode("")).isEmpty();
  }

  @Test
  void missingSpecialTokenIsReportedWithTheVocabularyName() {
    Vocabulary v = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "hello"), "my/vocab.txt");
    assertThatThrownBy(() -> WordPieceTokenizer.uncased(v))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("my/vocab.txt")
        .hasMessageContaining("[SEP], [MASK]");
  }

  @Test
  void vocabularyFileLinesAreIdsAndCarriageReturnsAreDropped(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nhello\r\n##s\r\n");
    Vocabulary v = Vocabulary.read(file);
    assertThat(v.size()).isEqualTo(7);
    assertThat(v.id("##s")).isEqualTo(6);
    assertThat(v.id("absent")).isEqualTo(-1);
    assertThat(WordPieceTokenizer.uncased(v).encode("Hellos")).containsExactly(5, 6);
    assertThatThrownBy(() -> Vocabulary.read(dir.resolve("missing.txt")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("missing.txt");
  }

  @Test
  void specialTokenIdsAreLookedUpByString() {
    List<String> shuffled = List.of("x", "[MASK]", "[SEP]", "[CLS]", "[UNK]", "[PAD]");
    SpecialTokens sp = SpecialTokens.lookup(Vocabulary.of(shuffled, "v"));
    assertThat(sp).isEqualTo(new SpecialTokens(5, 4, 3, 2, 1));
  }
}
