package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.data.DomainSplits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task.max-train-examples} and {@code task.max-eval-examples} on multi-domain data. */
class TaskResolverCapsTest {
  @TempDir Path dir;

  private TaskData resolve(String caps) {
    String yaml =
        String.join(
            "\n",
            "teacher:",
            "  model: 'preset:tiny'",
            "task:",
            "  format: sample",
            "  dir: '" + dir.resolve("sample") + "'",
            "  sample-size: 60",
            caps,
            "distill:",
            "  method: hrkd",
            "");
    return new TaskResolver(PathPolicy.unrestricted())
        .resolve(new JobParser(JobSchema.root()).parse(yaml, "job.yaml"));
  }

  @Test
  void theEvalCapAppliesToEachDomainsSplitsAsWellAsToTheUnion() {
    TaskData whole = resolve("");
    int domains = whole.multiDomain().splits().size();
    assertThat(domains).isEqualTo(4);
    assertThat(whole.multiDomain().splits()).allSatisfy(s -> assertThat(s.dev().size()).isGreaterThan(5));

    TaskData capped = resolve("  max-eval-examples: 20\n  max-train-examples: 40");

    assertThat(capped.dev().size()).isEqualTo(20);
    assertThat(capped.test().size()).isEqualTo(20);
    for (DomainSplits s : capped.multiDomain().splits()) {
      assertThat(s.dev().size()).as(s.domain() + " dev").isEqualTo(5);
      assertThat(s.test().size()).as(s.domain() + " test").isEqualTo(5);
      assertThat(s.train().size()).as(s.domain() + " train").isEqualTo(10);
      assertThat(s.dev().examples()).allSatisfy(e -> assertThat(e.domain()).isEqualTo(s.domain()));
      // A seeded sample of the domain's own dev set, not of another split.
      assertThat(whole.multiDomain().domain(s.domain()).dev().examples()).containsAll(s.dev().examples());
    }
  }
}
