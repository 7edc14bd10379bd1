package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.data.Batch;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.SpecialTokens;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainingExamplesTest {
  private static final int WORDS = 30;
  private static final WordPieceTokenizer TOKENIZER = tokenizer();

  @TempDir Path dir;

  private static WordPieceTokenizer tokenizer() {
    List<String> vocab = new ArrayList<>(SpecialTokens.ALL);
    for (int w = 0; w < WORDS; w++) {
      vocab.add("w" + w);
    }
    return WordPieceTokenizer.uncased(Vocabulary.of(vocab, "test-vocab"));
  }

  /** Writes 4 documents of 5 sentences of 3 to 8 words, blank lines (some doubled) between. */
  private Path corpusFile() throws IOException {
    Random rnd = new Random(3);
    StringBuilder text = new StringBuilder("\n");
    for (int d = 0; d < 4; d++) {
      for (int s = 0; s < 5; s++) {
        int n = 3 + rnd.nextInt(6);
        for (int w = 0; w < n; w++) {
          text.append(w == 0 ? "" : " ").append("W").append(rnd.nextInt(WORDS));
        }
        text.append(s == 2 ? " \n" : "\n");
      }
      text.append(d == 1 ? "\n\n" : "\n");
    }
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void blankLinesSeparateDocumentsAndLinesAreTokenized() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    assertThat(corpus.documents()).hasSize(4);
    assertThat(corpus.sentenceCount()).isEqualTo(20);
    for (List<int[]> doc : corpus.documents()) {
      for (int[] sentence : doc) {
        assertThat(sentence.length).isBetween(3, 8);
        // Lowercased words, no [UNK].
        assertThat(Arrays.stream(sentence).allMatch(id -> id >= 5 && id < 5 + WORDS)).isTrue();
      }
    }
  }

  @Test
  void pairsAreClsASepBSepWithinTheMaximumLength() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    SpecialTokens sp = corpus.specialTokens();
    List<EncodedExample> out =
        PretrainingExamples.builder()
            .setCorpus(corpus)
            .optMaxLength(16)
            .optSeed(1)
            .build()
            .generate(0);
    assertThat(out).isNotEmpty();
    boolean truncated = false;
    for (EncodedExample e : out) {
      int[] ids = e.inputIds();
      assertThat(e.realLength()).isLessThanOrEqualTo(16);
      truncated |= e.realLength() == 16;
      assertThat(ids[0]).isEqualTo(sp.cls());
      assertThat(ids[ids.length - 1]).isEqualTo(sp.sep());
      int[] seps = IntStream.range(0, ids.length).filter(i -> ids[i] == sp.sep()).toArray();
      assertThat(seps).hasSize(2);
      assertThat(seps[0]).isGreaterThan(1); // A is not empty
      assertThat(seps[1]).isGreaterThan(seps[0] + 1); // B is not empty
      for (int i = 0; i < ids.length; i++) {
        assertThat(e.segmentIds()[i]).isEqualTo(i <= seps[0] ? 0 : 1);
      }
    }
    assertThat(truncated).isTrue();
  }

  @Test
  void actualNextPairsSplitADocumentIntoAAndB() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    List<EncodedExample> out =
        PretrainingExamples.builder()
            .setCorpus(corpus)
            .optMaxLength(128)
            .optShortSeqProb(0)
            .optRandomNextProb(0)
            .build()
            .generate(0);
    // Each document (at most 40 word pieces) is one chunk, cut into A and B at a sentence end.
    assertThat(out).hasSize(4);
    List<int[]> wholeDocs = new ArrayList<>();
    corpus.documents().forEach(d -> wholeDocs.add(concat(d)));
    for (EncodedExample e : out) {
      int[] content = Arrays.stream(e.inputIds()).skip(1).filter(id -> id >= 5).toArray();
      assertThat(wholeDocs).anySatisfy(d -> assertThat(content).containsExactly(d));
    }
  }

  @Test
  void randomNextPairsTakeBFromAnotherDocument() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    SpecialTokens sp = corpus.specialTokens();
    List<EncodedExample> out =
        PretrainingExamples.builder()
            .setCorpus(corpus)
            .optMaxLength(128)
            .optRandomNextProb(1)
            .optSeed(9)
            .build()
            .generate(0);
    assertThat(out).isNotEmpty();
    for (EncodedExample e : out) {
      int[] ids = e.inputIds();
      int sep =
          IntStream.range(0, ids.length).filter(i -> ids[i] == sp.sep()).findFirst().getAsInt();
      List<Integer> docsOfA = runsOfWholeSentences(corpus, Arrays.copyOfRange(ids, 1, sep));
      List<Integer> docsOfB =
          runsOfWholeSentences(corpus, Arrays.copyOfRange(ids, sep + 1, ids.length - 1));
      assertThat(docsOfA).isNotEmpty();
      assertThat(docsOfB).isNotEmpty().doesNotContainAnyElementsOf(docsOfA);
    }
  }

  /** Returns the documents in which {@code content} is a run of consecutive whole sentences. */
  private static List<Integer> runsOfWholeSentences(PlainTextCorpus corpus, int[] content) {
    List<Integer> out = new ArrayList<>();
    for (int d = 0; d < corpus.documents().size(); d++) {
      List<int[]> doc = corpus.documents().get(d);
      for (int from = 0; from < doc.size(); from++) {
        for (int to = from + 1; to <= doc.size(); to++) {
          if (Arrays.equals(concat(doc.subList(from, to)), content)) {
            out.add(d);
          }
        }
      }
    }
    return out;
  }

  @Test
  void singleSequencesCoverEveryWordPieceWhenNothingIsCut() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    List<EncodedExample> out =
        PretrainingExamples.builder()
            .setCorpus(corpus)
            .optPairs(false)
            .optMaxLength(128)
            .optShortSeqProb(0)
            .build()
            .generate(0);
    List<Integer> seen = new ArrayList<>();
    for (EncodedExample e : out) {
      assertThat(e.segmentIds()).containsOnly(0);
      Arrays.stream(e.inputIds()).filter(id -> id >= 5).forEach(seen::add);
    }
    List<Integer> all = new ArrayList<>();
    corpus.documents().forEach(d -> Arrays.stream(concat(d)).forEach(all::add));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void singleSequencesAreCutToTheirFirstWordPieces() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    SpecialTokens sp = corpus.specialTokens();
    List<EncodedExample> out =
        PretrainingExamples.builder()
            .setCorpus(corpus)
            .optPairs(false)
            .optMaxLength(12)
            .build()
            .generate(0);
    for (EncodedExample e : out) {
      int[] ids = e.inputIds();
      assertThat(e.realLength()).isLessThanOrEqualTo(12);
      assertThat(ids[0]).isEqualTo(sp.cls());
      assertThat(ids[ids.length - 1]).isEqualTo(sp.sep());
      int[] content = Arrays.copyOfRange(ids, 1, ids.length - 1);
      // The content starts at a sentence boundary of some document and runs on from there.
      assertThat(corpus.documents())
          .anySatisfy(
              d ->
                  assertThat(
                          IntStream.range(0, d.size())
                              .anyMatch(
                                  from -> {
                                    int[] rest = concat(d.subList(from, d.size()));
                                    return rest.length >= content.length
                                        && Arrays.equals(
                                            Arrays.copyOf(rest, content.length), content);
                                  }))
                      .isTrue());
    }
  }

  @Test
  void orderAndContentAreSeededPerEpoch() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    PretrainingExamples a = PretrainingExamples.builder().setCorpus(corpus).optSeed(5).build();
    PretrainingExamples b = PretrainingExamples.builder().setCorpus(corpus).optSeed(5).build();
    PretrainingExamples c = PretrainingExamples.builder().setCorpus(corpus).optSeed(6).build();
    assertThat(a.generate(0)).isEqualTo(b.generate(0));
    assertThat(a.generate(1)).isNotEqualTo(a.generate(0));
    assertThat(c.generate(0)).isNotEqualTo(a.generate(0));
  }

  @Test
  void dataSetIsUnlabelledAndBatches() throws IOException {
    PlainTextCorpus corpus = PlainTextCorpus.read(corpusFile(), TOKENIZER);
    EncodedDataset data = PretrainingExamples.builder().setCorpus(corpus).build().toDataset(0);
    assertThat(data.labels()).containsOnly(-1);
    assertThat(data.padId()).isEqualTo(corpus.specialTokens().pad());
    Batch batch = Batcher.builder().setData(data).setBatchSize(3).build().batch(0, 0);
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.inputIds()[0][0]).isEqualTo(corpus.specialTokens().cls());
  }

  @Test
  void pairsFromASingleDocumentAreRejected() {
    PlainTextCorpus one = PlainTextCorpus.of(List.of("w1 w2 w3", "w4 w5"), TOKENIZER, "one.txt");
    assertThatThrownBy(() -> PretrainingExamples.builder().setCorpus(one).build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("one.txt")
        .hasMessageContaining("two documents");
    assertThat(PretrainingExamples.builder().setCorpus(one).optPairs(false).build().generate(0))
        .hasSize(1);
  }

  @Test
  void invalidUtf8IsReportedWithItsLine() throws IOException {
    Path file = dir.resolve("bad.txt");
    byte[] good = "w1 w2\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(good, good.length + 2);
    bytes[good.length] = (byte) 0xC3;
    bytes[good.length + 1] = (byte) 0x28;
    Files.write(file, bytes);
    assertThatThrownBy(() -> PlainTextCorpus.read(file, TOKENIZER))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("bad.txt:2")
        .hasMessageContaining("UTF-8");
  }

  private static int[] concat(List<int[]> sentences) {
    return sentences.stream().flatMapToInt(Arrays::stream).toArray();
  }
}
