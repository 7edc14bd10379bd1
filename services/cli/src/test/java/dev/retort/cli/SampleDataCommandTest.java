package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.data.SampleData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retort sample-data}: the three splits and the corpus an EfficientBERT search reads. */
class SampleDataCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheSplitsAndTheCorpusAndCountsWhatItWrote() throws Exception {
    Cli.Result r = Cli.run("sample-data", dir.toString(), "--size", "16");

    assertThat(r.exit()).as(r.err()).isZero();
    // 16 training reviews per domain make 2 documents of at most 8 in each of the 4 domains.
    assertThat(r.out())
        .contains("train.tsv: 64 examples")
        .contains("dev.tsv: 200 examples")
        .contains(SampleData.CORPUS + ": 64 reviews in 8 documents, for search.corpus");
    assertThat(dir.resolve(SampleData.CORPUS)).exists();
    assertThat(Files.readAllLines(dir.resolve(SampleData.CORPUS))).hasSize(64 + 8);
  }
}
