package dev.retort.loss.emd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.distill.emd.EmdLayerWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmdHistoryTest {
  @TempDir
  Path dir;

  @Test
  void keepsTheNewestEntriesAndReadsTheLastBack() throws Exception {
    Path file = dir.resolve("loss").resolve(EmdHistory.FILE);
    assertThat(EmdHistory.newest(file)).isNull();
    for (int step = 1; step <= 4; step++) {
      EmdHistory.append(file, step, EmdLayerWeights.shared(new double[] {step, 1},
          new double[] {1, 2, step}), 3);
    }
    String text = Files.readString(file);
    assertThat(text).doesNotContain("\"step\" : 1,").contains("\"step\" : 2,")
        .contains("\"step\" : 4,");
    EmdHistory.Entry newest = EmdHistory.newest(file);
    assertThat(newest.step()).isEqualTo(4);
    assertThat(newest.next()).isEqualTo(EmdLayerWeights.shared(new double[] {4, 1},
        new double[] {1, 2, 4}));
  }
}
