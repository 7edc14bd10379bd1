package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.job.ConfigValues;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BundledExamplesTest {
  @Test
  void everyBundledExampleParsesWithoutUnknownKeys() {
    for (String name : BundledExamples.EXAMPLES.keySet()) {
      ConfigValues job = JobFiles.parse(BundledExamples.text(name), name + ".yaml");
      assertThat(job.str("name")).as(name).isEqualTo(name);
      if (name.equals("demo")) {
        // The demo runs on the platform: its files go to the artifact store, not to output.dir.
        assertThat(job.str("output.dir")).as(name).isNull();
      } else {
        assertThat(job.str("output.dir")).as(name).isEqualTo("runs/" + name);
      }
    }
  }

  @Test
  void theListMatchesTheFilesInTheJar() throws IOException, URISyntaxException {
    Path jobs = Path.of(BundledExamples.class.getResource("/jobs").toURI());
    try (Stream<Path> files = Files.list(jobs)) {
      assertThat(files.map(p -> p.getFileName().toString().replace(".yaml", "")).sorted())
          .containsExactlyElementsOf(BundledExamples.EXAMPLES.keySet().stream().sorted().toList());
    }
  }

  @Test
  void examplesShowWhatTheyPromise() {
    ConfigValues glue = JobFiles.parse(BundledExamples.text("glue-sst2-emd"), "glue");
    assertThat(glue.str("task.format")).isEqualTo("glue");
    assertThat(glue.doubleValue("distill.emd.beta")).isEqualTo(0.001);
    assertThat(glue.doubleValue("distill.training.lr")).isEqualTo(2e-5);
    assertThat(glue.intValue("task.max-length")).isEqualTo(64);
    assertThat(JobFiles.parse(BundledExamples.text("hrkd-amazon"), "h").str("distill.method"))
        .isEqualTo("hrkd");
    assertThat(JobFiles.parse(BundledExamples.text("table-csv"), "t").str("task.format"))
        .isEqualTo("table");
    ConfigValues sample = JobFiles.parse(BundledExamples.text("sample-emd"), "s");
    assertThat(sample.str("teacher.model")).isEqualTo("all-minilm-l6-v2");
    assertThat(sample.bool("teacher.finetune")).isTrue();
  }

  @Test
  void examplesCommandListsAndPrints() {
    Cli.Result list = Cli.run("examples");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("sample-emd", "glue-sst2-emd", "hrkd-amazon", "table-csv");
    Cli.Result one = Cli.run("examples", "table-csv.yaml");
    assertThat(one.exit()).isZero();
    assertThat(one.out()).isEqualTo(BundledExamples.text("table-csv"));
  }

  @Test
  void jobReferencePrintsTheGeneratedPage() {
    Cli.Result r = Cli.run("job-reference");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(dev.retort.core.job.JobReference.markdown())
        .contains("`distill.method`");
  }
}
