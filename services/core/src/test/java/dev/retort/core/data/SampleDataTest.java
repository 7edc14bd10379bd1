package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.efficientbert.PlainTextCorpus;
import dev.retort.core.text.MiniLmTokenizerJson;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataTest {
  @TempDir Path tmp;

  private static SampleData small(long seed, double noise) {
    return SampleData.builder().optSizes(150, 30, 30).optSeed(seed).optLabelNoise(noise).build();
  }

  @Test
  void defaultDataSetHasFourDomainsAndBalancedLabels() {
    SampleData.builder().build().write(tmp);
    MultiDomainData data = SampleData.read(tmp);
    assertThat(data.domains().labels())
        .containsExactly("books", "electronics", "kitchen", "movies");
    for (DomainSplits s : data.splits()) {
      assertThat(s.train().size()).isEqualTo(1500);
      assertThat(s.dev().size()).isEqualTo(200);
      assertThat(s.test().size()).isEqualTo(300);
      int[] counts = new int[3];
      for (int id : s.train().labelIds()) {
        counts[id]++;
      }
      for (int c : counts) {
        assertThat(c).isBetween(460, 540); // 500 each before 3% noise
      }
    }
  }

  @Test
  void theSameSeedWritesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
    List<Path> a = small(5, 0.03).write(tmp.resolve("a"));
    List<Path> b = small(5, 0.03).write(tmp.resolve("b"));
    List<Path> c = small(6, 0.03).write(tmp.resolve("c"));
    for (int i = 0; i < 3; i++) {
      assertThat(Files.readAllBytes(a.get(i))).isEqualTo(Files.readAllBytes(b.get(i)));
      assertThat(Files.readAllBytes(a.get(i))).isNotEqualTo(Files.readAllBytes(c.get(i)));
    }
    assertThat(a.get(0).getFileName().toString()).isEqualTo("train.tsv");
  }

  @Test
  void textsAreUniqueAndBetweenSixAndThirtyWords() {
    small(1, 0.03).write(tmp);
    MultiDomainData data = SampleData.read(tmp);
    Set<String> texts = new HashSet<>();
    int total = 0;
    for (DomainSplits s : data.splits()) {
      for (Dataset d : List.of(s.train(), s.dev(), s.test())) {
        for (Example e : d.examples()) {
          total++;
          texts.add(e.textA());
          assertThat(e.textA().split(" ").length).as(e.textA()).isBetween(6, 30);
          assertThat(e.domain()).isEqualTo(s.domain());
        }
      }
    }
    assertThat(texts).hasSize(total).hasSize(4 * 210);
  }

  @Test
  void labelNoiseChangesAboutThreePercentOfLabelsAndNoTexts() {
    small(9, 0.0).write(tmp.resolve("clean"));
    small(9, 0.03).write(tmp.resolve("noisy"));
    Dataset clean = SampleData.reader().read(tmp.resolve("clean/train.tsv"));
    Dataset noisy = SampleData.reader().read(tmp.resolve("noisy/train.tsv"));
    int changed = 0;
    for (int i = 0; i < clean.size(); i++) {
      assertThat(noisy.get(i).textA()).isEqualTo(clean.get(i).textA());
      if (!noisy.get(i).label().equals(clean.get(i).label())) {
        changed++;
      }
    }
    assertThat(changed).isBetween(6, 36); // 600 examples, expected 18
  }

  @Test
  void everyWordIsKnownToTheBertVocabulary() {
    small(2, 0.03).write(tmp);
    Vocabulary vocab = MiniLmTokenizerJson.vocabulary();
    WordPieceTokenizer tokenizer = WordPieceTokenizer.uncased(vocab);
    int words = 0;
    int whole = 0;
    for (DomainSplits s : SampleData.read(tmp).splits()) {
      for (Example e : s.train().examples()) {
        assertThat(tokenizer.tokenize(e.textA())).as(e.textA()).doesNotContain("[UNK]");
        for (String w : e.textA().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
          if (!w.isEmpty()) {
            words++;
            whole += vocab.contains(w) ? 1 : 0;
          }
        }
      }
    }
    // A few nouns (blender, skillet, ...) are split into word pieces; almost all words are whole.
    assertThat((double) whole / words).isGreaterThan(0.95);
  }

  @Test
  void theCorpusHoldsTheTrainingReviewsInDocumentsOfEightAndNothingOfDevOrTest() throws IOException {
    small(3, 0.03).write(tmp);
    MultiDomainData data = SampleData.read(tmp);
    List<String> train = new ArrayList<>();
    Set<String> held = new HashSet<>();
    for (DomainSplits s : data.splits()) {
      s.train().examples().forEach(e -> train.add(e.textA()));
      s.dev().examples().forEach(e -> held.add(e.textA()));
      s.test().examples().forEach(e -> held.add(e.textA()));
    }
    List<String> lines = Files.readAllLines(tmp.resolve(SampleData.CORPUS));
    assertThat(lines.stream().filter(l -> !l.isEmpty()).toList()).isEqualTo(train);
    assertThat(lines).doesNotContainAnyElementsOf(held);

    PlainTextCorpus corpus =
        PlainTextCorpus.read(
            tmp.resolve(SampleData.CORPUS),
            WordPieceTokenizer.uncased(MiniLmTokenizerJson.vocabulary()));
    assertThat(corpus.sentenceCount()).isEqualTo(4 * 150);
    assertThat(corpus.documents()).hasSize(4 * 19); // ceil(150 / 8) per domain: none spans two
    assertThat(corpus.documents().get(0)).hasSize(8);
    assertThat(corpus.documents().get(18)).hasSize(150 - 18 * 8);
  }

  @Test
  void jsonlHoldsTheSameExamplesAsTsv() {
    small(3, 0.03).write(tmp.resolve("tsv"));
    SampleData.builder()
        .optSizes(150, 30, 30)
        .optSeed(3)
        .optFormat(TabularFormat.JSONL)
        .build()
        .write(tmp.resolve("jsonl"));
    Dataset tsv = SampleData.reader().read(tmp.resolve("tsv/dev.tsv"), "dev");
    Dataset jsonl = SampleData.reader().read(tmp.resolve("jsonl/dev.jsonl"), "dev");
    assertThat(jsonl).isEqualTo(tsv);
  }

  @Test
  void otherDomainNamesGetGenericWords() {
    SampleData.builder()
        .optDomains(List.of("garden", "toys"))
        .optSizes(30, 6, 6)
        .build()
        .write(tmp);
    MultiDomainData data = SampleData.read(tmp);
    assertThat(data.domains().labels()).containsExactly("garden", "toys");
    assertThat(data.domain("toys").train().size()).isEqualTo(30);
  }
}
