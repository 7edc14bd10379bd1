package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.data.SampleData;
import dev.retort.core.efficientbert.search.ParamBudget;
import dev.retort.core.efficientbert.search.SearchConfig;
import dev.retort.core.efficientbert.search.SearchStage;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.run.ShapeCheck;
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
    ConfigValues search = JobFiles.parse(BundledExamples.text("efficientbert-mnli"), "e");
    assertThat(search.intValue("search.stage")).isEqualTo(1);
    assertThat(search.intValue("student.hidden-size")).isEqualTo(540);
    assertThat(search.doubleValue("search.lr")).isEqualTo(4e-4);
    assertThat(search.intValue("search.batch-size")).isEqualTo(64);
    assertThat(search.str("task.name")).isEqualTo("MNLI");
    SearchConfig searchConfig = SearchConfig.of(search); // the search's own checks accept it
    assertThat(searchConfig.budget()).isEqualTo(new ParamBudget(15_000_000, 16_000_000));
    assertThat(searchConfig.protocol().steps()).isEqualTo(1842); // 3 epochs, 10% of 392,702, 64
    assertThat(searchConfig.stage()).isEqualTo(SearchStage.of(1));
    ConfigValues sampleSearch = JobFiles.parse(BundledExamples.text("sample-efficientbert"), "se");
    assertThat(SearchConfig.of(sampleSearch).protocol().steps()).isEqualTo(300);
    assertThat(sampleSearch.str("search.corpus"))
        .isEqualTo(TaskResolver.DEFAULT_SAMPLE_DIR.resolve(SampleData.CORPUS).toString());
    ConfigValues hrkd = JobFiles.parse(BundledExamples.text("sample-hrkd"), "sh");
    assertThat(hrkd.str("distill.method")).isEqualTo("hrkd");
    assertThat(hrkd.str("task.format")).isEqualTo("sample");
    ShapeCheck.check(hrkd, PathPolicy.unrestricted()); // its student fits the teacher
    ConfigValues sample = JobFiles.parse(BundledExamples.text("sample-emd"), "s");
    assertThat(sample.str("teacher.model")).isEqualTo("all-minilm-l6-v2");
    assertThat(sample.bool("teacher.finetune")).isTrue();
  }

  @Test
  void examplesCommandListsAndPrints() {
    Cli.Result list = Cli.run("examples");
    assertThat(list.exit()).isZero();
    assertThat(list.out())
        .contains("sample-emd", "glue-sst2-emd", "hrkd-amazon", "sample-hrkd",
            "sample-efficientbert", "efficientbert-mnli", "table-csv");
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
