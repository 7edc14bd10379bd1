package dev.retort.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the pure-Java tokenizer against HF tokenizers (through DJL) on the MiniLM tokenizer.json,
 * whose vocabulary is BERT-base uncased.
 */
class HfTokenizerParityTest {
  @TempDir static Path tmp;

  private static HuggingFaceTokenizer hf;
  private static HuggingFaceTokenizer hfTruncating32;
  private static HuggingFaceTokenizer hfTruncating33;
  private static WordPieceTokenizer ours;
  private static List<String> sentences;

  @BeforeAll
  static void load() throws IOException {
    Path json = MiniLmTokenizerJson.copyTo(tmp);
    hf =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(json)
            .optPadding(false)
            .optTruncation(false)
            .optAddSpecialTokens(true)
            .build();
    hfTruncating32 = truncating(json, 32);
    hfTruncating33 = truncating(json, 33);
    ours = WordPieceTokenizer.uncased(MiniLmTokenizerJson.vocabulary());
    sentences = readSentences();
  }

  private static HuggingFaceTokenizer truncating(Path json, int maxLength) throws IOException {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(json)
        .optPadding(false)
        .optTruncation(true)
        .optMaxLength(maxLength)
        .optAddSpecialTokens(true)
        .build();
  }

  @AfterAll
  static void close() {
    hf.close();
    hfTruncating32.close();
    hfTruncating33.close();
  }

  private static List<String> readSentences() throws IOException {
    try (var in = HfTokenizerParityTest.class.getResourceAsStream("parity-sentences.txt")) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String line : all.split("\n", -1)) {
        if (!line.isEmpty()) {
          out.add(line);
        }
      }
      return out;
    }
  }

  @Test
  void sentenceFileIsLargeAndVaried() {
    assertThat(sentences).hasSizeGreaterThan(300);
    long unk = sentences.stream().filter(s -> ours.tokenize(s).contains("[UNK]")).count();
    assertThat(unk).as("sentences with [UNK], so the unknown path is exercised").isPositive();
  }

  @Test
  void wordPiecesMatchHfOnEverySentence() {
    SequenceEncoder encoder =
        SequenceEncoder.builder().setTokenizer(ours).optMaxLength(4096).build();
    List<String> mismatches = new ArrayList<>();
    for (String s : sentences) {
      Encoding expected = hf.encode(s);
      List<String> tokens = new ArrayList<>();
      tokens.add("[CLS]");
      tokens.addAll(ours.tokenize(s));
      tokens.add("[SEP]");
      EncodedExample actual = encoder.encode(s);
      if (!tokens.equals(Arrays.asList(expected.getTokens()))
          || !Arrays.equals(toLongs(actual.inputIds()), expected.getIds())
          || !Arrays.equals(toLongs(actual.segmentIds()), expected.getTypeIds())) {
        mismatches.add(
            s + "\n  hf:   " + Arrays.toString(expected.getTokens()) + "\n  ours: " + tokens);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void pairIdsAndSegmentsMatchHfWithoutTruncation() {
    SequenceEncoder encoder =
        SequenceEncoder.builder().setTokenizer(ours).optMaxLength(4096).build();
    for (int i = 0; i + 1 < sentences.size(); i++) {
      String a = sentences.get(i);
      String b = sentences.get(i + 1);
      Encoding expected = hf.encode(a, b);
      EncodedExample actual = encoder.encode(a, b);
      assertThat(toLongs(actual.inputIds())).as(a + " || " + b).isEqualTo(expected.getIds());
      assertThat(toLongs(actual.segmentIds())).as(a + " || " + b).isEqualTo(expected.getTypeIds());
    }
  }

  @Test
  void singleTextTruncationMatchesHf() {
    SequenceEncoder encoder = SequenceEncoder.builder().setTokenizer(ours).optMaxLength(32).build();
    for (String s : sentences) {
      assertThat(toLongs(encoder.encode(s).inputIds()))
          .as(s)
          .isEqualTo(hfTruncating32.encode(s).getIds());
    }
  }

  /**
   * HF's LongestFirst and TinyBERT's pop rule agree except when both sides are cut, the budget is
   * odd and B is at least as long as A: then TinyBERT gives the odd token to A, HF to B.
   */
  @Test
  void pairTruncationMatchesHfExceptTheDocumentedOddBudgetTie() {
    int differing = 0;
    for (int maxLength : new int[] {32, 33}) {
      HuggingFaceTokenizer hfTrunc = maxLength == 32 ? hfTruncating32 : hfTruncating33;
      SequenceEncoder encoder =
          SequenceEncoder.builder().setTokenizer(ours).optMaxLength(maxLength).build();
      for (int i = 0; i + 7 < sentences.size(); i++) {
        String a = sentences.get(i) + " " + sentences.get(i + 1);
        String b = sentences.get(i + 5) + " " + sentences.get(i + 6) + " " + sentences.get(i + 7);
        int lenA = ours.encode(a).length;
        int lenB = ours.encode(b).length;
        int budget = maxLength - 3;
        EncodedExample actual = encoder.encode(a, b);
        Encoding expected = hfTrunc.encode(a, b);
        boolean bothCut = lenA > budget / 2 && lenB > budget / 2 && lenA + lenB > budget;
        if (bothCut && budget % 2 == 1 && lenB >= lenA) {
          differing++;
          assertThat(countSegment(actual.segmentIds(), 0)).isEqualTo(budget / 2 + 1 + 2);
          assertThat(countSegment(toInts(expected.getTypeIds()), 0)).isEqualTo(budget / 2 + 2);
        } else {
          assertThat(toLongs(actual.inputIds())).as(a + " || " + b).isEqualTo(expected.getIds());
          assertThat(toLongs(actual.segmentIds())).isEqualTo(expected.getTypeIds());
        }
      }
    }
    assertThat(differing).as("the differing case occurs in the data").isPositive();
  }

  private static int countSegment(int[] segments, int value) {
    return (int) Arrays.stream(segments).filter(s -> s == value).count();
  }

  private static long[] toLongs(int[] a) {
    return Arrays.stream(a).asLongStream().toArray();
  }

  private static int[] toInts(long[] a) {
    return Arrays.stream(a).mapToInt(x -> (int) x).toArray();
  }

  @Test
  void tokenizerJsonVocabularyHasTheBertSpecialTokenIds() {
    SpecialTokens sp = ours.specialTokens();
    assertThat(sp).isEqualTo(new SpecialTokens(0, 100, 101, 102, 103));
    assertThat(MiniLmTokenizerJson.vocabulary().size()).isEqualTo(30522);
    assertThat(Files.exists(tmp.resolve("tokenizer.json"))).isTrue();
  }
}
