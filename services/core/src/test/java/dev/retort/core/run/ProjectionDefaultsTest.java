package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.distill.HiddenProjection.Mode;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.model.BertConfig;
import org.junit.jupiter.api.Test;

/**
 * What {@code distill.projection: auto} resolves to: the BERT-EMD and TinyBERT code project every
 * student state through one fresh fit_dense even when the widths match; PKD's code has none.
 */
class ProjectionDefaultsTest {
  private static final BertConfig BASE = BertConfig.bertBase();
  private static final BertConfig SIX_768 = BertConfig.tinyBert6L768();
  private static final BertConfig FOUR_312 = BertConfig.tinyBert4L312();

  private static ConfigValues job(String method) {
    return new JobParser(JobSchema.root())
        .parse("teacher:\n  model: 'preset:tiny'\ndistill:\n  method: " + method + "\n", "job.yaml");
  }

  private static Mode auto(String method, BertConfig student) {
    return Methods.projection(job(method), method, student, BASE).mode();
  }

  @Test
  void bertEmdAndTinyBertProjectAStudentOfTheTeachersWidthToo() {
    assertThat(auto("bert-emd", SIX_768)).isEqualTo(Mode.SHARED);
    assertThat(auto("tinybert", SIX_768)).isEqualTo(Mode.SHARED);
    assertThat(auto("bert-emd", FOUR_312)).isEqualTo(Mode.SHARED);
  }

  @Test
  void pkdProjectsOnlyWhenTheWidthsDiffer() {
    assertThat(auto("pkd", SIX_768)).isEqualTo(Mode.NONE);
    assertThat(auto("pkd", FOUR_312)).isEqualTo(Mode.SHARED);
  }

  @Test
  void hrkdProjectsEveryLayerOnItsOwn() {
    assertThat(auto("hrkd", SIX_768)).isEqualTo(Mode.PER_LAYER);
  }
}
