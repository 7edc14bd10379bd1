package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {
  @TempDir Path dir;

  private static List<String> vocab(String text) throws IOException {
    return TokenizerFiles.readVocabTxt(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "v");
  }

  @Test
  void vocabTxtLinesAreIdsWithUnixOrWindowsEndings() throws IOException {
    assertThat(vocab("[PAD]\n[UNK]\nthe\n##s\n")).containsExactly("[PAD]", "[UNK]", "the", "##s");
    assertThat(vocab("a\r\nb\r\nc")).containsExactly("a", "b", "c");
  }

  @Test
  void duplicateTokenIsReportedWithItsLine() {
    assertThatThrownBy(() -> vocab("a\nb\na\n"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("v line 3")
        .hasMessageContaining("'a'");
  }

  @Test
  void vocabTxtRoundTrips() throws IOException {
    TokenizerFiles t = new TokenizerFiles(TinyModels.VOCAB, true, null);
    t.writeVocabTxt(dir.resolve("vocab.txt"));
    assertThat(TokenizerFiles.fromVocabTxt(dir.resolve("vocab.txt"), true)).isEqualTo(t);
  }

  @Test
  void tokenizerJsonGivesVocabularyByIdAndLowercaseFlag() throws IOException {
    Path f = dir.resolve("tokenizer.json");
    Files.writeString(f, TinyModels.tokenizerJson(false));
    TokenizerFiles t = TokenizerFiles.fromTokenizerJson(f);
    assertThat(t.vocab()).isEqualTo(TinyModels.VOCAB);
    assertThat(t.lowercase()).isFalse();
    assertThat(t.tokenizerJson()).isEqualTo(f);

    String seq =
        "{\"normalizer\":{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\"Lowercase\"}]},"
            + "\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"b\":1,\"a\":0}}}";
    TokenizerFiles s =
        TokenizerFiles.parseTokenizerJson(seq.getBytes(StandardCharsets.UTF_8), null, "s");
    assertThat(s.vocab()).containsExactly("a", "b");
    assertThat(s.lowercase()).isTrue();
  }

  @Test
  void nonWordPieceTokenizerIsRejected() {
    byte[] bpe =
        "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TokenizerFiles.parseTokenizerJson(bpe, null, "tok.json"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("tok.json key 'model'")
        .hasMessageContaining("BPE");
    byte[] gap =
        "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"a\":0,\"b\":5}}}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TokenizerFiles.parseTokenizerJson(gap, null, "tok.json"))
        .hasMessageContaining("model.vocab.b");
  }
}
