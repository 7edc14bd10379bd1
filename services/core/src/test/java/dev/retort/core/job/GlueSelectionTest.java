package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.metrics.MetricName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which metric picks the best MRPC/QQP checkpoint: accuracy, as BERT-EMD's code does, for every
 * method but EfficientBERT, whose code selects by (acc+F1)/2.
 */
class GlueSelectionTest {
  @TempDir Path dir;

  private ConfigValues job(String extra) throws IOException {
    Path mrpc = Files.createDirectories(dir.resolve("MRPC"));
    String header = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n";
    for (String split : new String[] {"train.tsv", "dev.tsv"}) {
      Files.writeString(mrpc.resolve(split), header + "1\t1\t2\tA cat sat .\tA cat was sitting .\n"
          + "0\t3\t4\tIt rains .\tThe sun shines .\n");
    }
    String yaml = "teacher:\n  model: 'preset:tiny'\ntask:\n  format: glue\n  name: MRPC\n  dir: '" + dir + "'\n" + extra;
    return new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
  }

  @Test
  void bertEmdAndTheBaselinesSelectMrpcCheckpointsByAccuracy() throws IOException {
    for (String method : new String[] {"bert-emd", "tinybert", "pkd", "logits-kd"}) {
      TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job("distill:\n  method: " + method + "\n"));
      assertThat(task.metric().selectBy()).as(method).isEqualTo(MetricName.ACC);
      assertThat(task.metric().reported()).as(method).contains(MetricName.F1, MetricName.ACC_AND_F1);
    }
  }

  @Test
  void anEfficientBertStudentOrSearchSelectsByTheMeanOfAccuracyAndF1() throws IOException {
    ConfigValues student = job("student:\n  ffn-expressions: ['gelu(linear1_1(x,wb1))']\n");
    assertThat(new TaskResolver(PathPolicy.unrestricted()).resolve(student).metric().selectBy())
        .isEqualTo(MetricName.ACC_AND_F1);
    ConfigValues search = job("");
    assertThat(new TaskResolver(PathPolicy.unrestricted()).resolve(search, true).metric().selectBy())
        .isEqualTo(MetricName.ACC_AND_F1);
  }
}
