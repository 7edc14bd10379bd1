package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.job.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retort search} on a tiny job: two candidates, two KD steps each, a 2-layer supernet. */
class SearchCommandTest {
  @TempDir Path dir;

  @Test
  void searchPrintsTheHallOfFameAndAStudentSectionThatDistillAccepts() throws Exception {
    Path job = tinySearchJob(dir);

    Cli.Result r = Cli.run("search", job.toString(), "--output", dir.resolve("run").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 candidates evaluated").contains("hall of fame:").contains("layer 2: ");
    String snippet = r.out().substring(r.out().indexOf("student:"), r.out().indexOf("Run directory:"));
    ConfigValues distill = JobFiles.parse("teacher:\n  model: preset:tiny\n" + snippet, "snippet");
    assertThat(distill.strings("student.ffn-expressions")).hasSize(2);
    assertThat(distill.intValue("student.hidden-size")).isEqualTo(48);
    assertThat(Path.of(distill.str("student.supernet"))).exists();
    assertThat(Files.readString(dir.resolve("run").resolve("student-snippet.yaml"))).endsWith(snippet.stripTrailing() + "\n");
  }

  static Path tinySearchJob(Path dir) throws Exception {
    Random rnd = new Random(1);
    String[] words = {"the", "movie", "was", "good", "bad", "food", "service", "slow", "fast", "great"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 6; w++) {
        sb.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
      }
      lines.add(sb.append('.').toString());
      if (i % 5 == 4) {
        lines.add("");
      }
    }
    Files.write(dir.resolve("corpus.txt"), lines);
    Path job = dir.resolve("search.yaml");
    Files.writeString(job, String.join("\n",
        "name: tiny-search",
        "seed: 7",
        "teacher:",
        "  model: preset:tiny",
        "task:",
        "  format: sample",
        "  dir: " + dir.resolve("data"),
        "  sample-size: 60",
        "  max-train-examples: 48",
        "  max-eval-examples: 32",
        "  max-length: 32",
        "  buckets: [16, 32]",
        "student:",
        "  hidden-size: 48",
        "  layers: 2",
        "  embedding-size: 16",
        "search:",
        "  stage: 1",
        "  sampler: random",
        "  candidates: 2",
        "  steps-per-candidate: 2",
        "  pretrain-steps: 0",
        "  batch-size: 8",
        "  eval-every: 2",
        "  budget-min-params: 0",
        "  budget-max-params: 100000000",
        "  warmup-steps: 2",
        "  holdout-min-examples: 8",
        "  corpus: " + dir.resolve("corpus.txt"),
        ""));
    return job;
  }
}
