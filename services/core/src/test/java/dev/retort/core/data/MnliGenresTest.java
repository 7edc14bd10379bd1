package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnliGenresTest {
  private static final String[] LABELS = {"contradiction", "entailment", "neutral"};
  // rows per genre in train.tsv: fiction 10, government 11, slate 3, telephone 5, travel 20
  private static final int[] COUNTS = {10, 11, 3, 5, 20};

  @TempDir Path glue;

  @BeforeEach
  void writeFiles() throws IOException {
    Path mnli = Files.createDirectories(glue.resolve("MNLI"));
    List<String> train = new ArrayList<>();
    train.add(
        "index\tpromptID\tpairID\tgenre\ts1b\ts2b\ts1p\ts2p\tsentence1\tsentence2\tlabel1"
            + "\tgold_label");
    int[] seen = new int[5];
    int index = 0;
    // Interleave genres so that "file order within a genre" is tested.
    for (int round = 0; round < 20; round++) {
      for (int g = 0; g < 5; g++) {
        if (seen[g] < COUNTS[g]) {
          String genre = MnliGenres.GENRES.get(g);
          String label = LABELS[(index) % 3];
          train.add(
              index
                  + "\tp\tq\t"
                  + genre
                  + "\tb\tb\tp\tp\t"
                  + genre
                  + " premise "
                  + seen[g]
                  + "\thypothesis\t"
                  + label
                  + "\t"
                  + label);
          seen[g]++;
          index++;
        }
      }
    }
    train.add(index + "\tp\tq\tletters\tb\tb\tp\tp\tnot a genre\th\tneutral\tneutral");
    Files.write(mnli.resolve("train.tsv"), train);
    List<String> dev = new ArrayList<>();
    dev.add(
        "index\tpromptID\tpairID\tgenre\ts1b\ts2b\ts1p\ts2p\tsentence1\tsentence2\tl1\tl2\tl3\tl4"
            + "\tl5\tgold_label");
    for (int g = 4; g >= 0; g--) {
      for (int k = 0; k < 2; k++) {
        dev.add(
            "d"
                + g
                + k
                + "\tp\tq\t"
                + MnliGenres.GENRES.get(g)
                + "\tb\tb\tp\tp\tdev "
                + g
                + " "
                + k
                + "\th\tneutral\tneutral\tneutral\tneutral\tneutral\tneutral");
      }
    }
    Files.write(mnli.resolve("dev_matched.tsv"), dev);
  }

  private static List<String> texts(Dataset d) {
    return d.examples().stream().map(Example::textA).collect(Collectors.toList());
  }

  @Test
  void trainIsTheFirstNinetyPercentAndDevTheLastTenPercentOfEachGenre() {
    MultiDomainData data = MnliGenres.read(glue);
    assertThat(data.domains().labels())
        .containsExactly("fiction", "government", "slate", "telephone", "travel");
    // int(0.9 n): 10 -> 9, 11 -> 9, 3 -> 2, 5 -> 4, 20 -> 18
    int[] train = {9, 9, 2, 4, 18};
    for (int g = 0; g < 5; g++) {
      DomainSplits s = data.splits().get(g);
      String genre = MnliGenres.GENRES.get(g);
      assertThat(s.train().size()).as(genre).isEqualTo(train[g]);
      assertThat(s.dev().size()).as(genre).isEqualTo(COUNTS[g] - train[g]);
      assertThat(s.train().get(0).textA()).isEqualTo(genre + " premise 0");
      assertThat(s.dev().get(0).textA()).isEqualTo(genre + " premise " + train[g]);
      assertThat(s.train().get(0).domain()).isEqualTo(genre);
    }
    assertThat(texts(data.domain("slate").train()))
        .containsExactly("slate premise 0", "slate premise 1");
  }

  @Test
  void testIsDevMatchedFilteredByGenreInFileOrder() {
    MultiDomainData data = MnliGenres.read(glue);
    assertThat(texts(data.domain("government").test())).containsExactly("dev 1 0", "dev 1 1");
    assertThat(data.domain("travel").test().labelIds()).containsExactly(2, 2);
  }

  @Test
  void fewShotRatioShrinksTrainAndKeepsDev() {
    MultiDomainData data = MnliGenres.read(glue, 0.5, 0.1);
    assertThat(data.domain("travel").train().size()).isEqualTo(10);
    assertThat(data.domain("travel").dev().size()).isEqualTo(2);
    assertThat(texts(data.domain("travel").dev()))
        .containsExactly("travel premise 18", "travel premise 19");
  }

  @Test
  void ratiosAboveOneAreRejected() {
    assertThatThrownBy(() -> MnliGenres.read(glue, 0.95, 0.1)).isInstanceOf(RetortException.class);
  }

  @Test
  void unknownDomainListsTheGenres() {
    assertThatThrownBy(() -> MnliGenres.read(glue).domain("letters"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("unknown domain 'letters'")
        .hasMessageContaining("fiction");
  }
}
