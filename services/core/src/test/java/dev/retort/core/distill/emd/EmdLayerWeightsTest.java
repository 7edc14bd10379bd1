package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmdLayerWeightsTest {

  private static final EmdLayerWeights SEPARATE =
      new EmdLayerWeights(
          new double[] {0.1, 0.9},
          new double[] {0.2, 0.3, 0.5},
          new double[] {0.6, 0.4},
          new double[] {0.7, 0.2, 0.1});

  @Test
  void uniformStartIsOneOverTheLayerCount() {
    EmdLayerWeights w = EmdLayerWeights.uniform(4, 12);
    assertThat(w.studentAtt()).containsOnly(0.25);
    assertThat(w.teacherHid()).hasSize(12).containsOnly(1.0 / 12);
    assertThat(w.isShared()).isTrue();
    assertThat(w.studentLayers()).isEqualTo(4);
    assertThat(w.teacherLayers()).isEqualTo(12);
  }

  @Test
  void flatLayoutRoundTripsAndIsDocumented() {
    double[] flat = SEPARATE.toFlat();
    assertThat(flat).containsExactly(2, 3, 0.1, 0.9, 0.2, 0.3, 0.5, 0.6, 0.4, 0.7, 0.2, 0.1);
    assertThat(EmdLayerWeights.fromFlat(flat)).isEqualTo(SEPARATE);
  }

  @Test
  void mapRoundTripsWithStableKeys() {
    Map<String, double[]> map = SEPARATE.toMap();
    assertThat(map.keySet())
        .containsExactly("student_att", "teacher_att", "student_hid", "teacher_hid");
    assertThat(EmdLayerWeights.fromMap(map)).isEqualTo(SEPARATE);
    assertThat(EmdLayerWeights.fromMap(map).hashCode()).isEqualTo(SEPARATE.hashCode());
  }

  @Test
  void brokenCheckpointsAreReportedWithAFix() {
    assertThatThrownBy(() -> EmdLayerWeights.fromFlat(new double[] {2, 3, 0.5}))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("expected 2 + 2*(2 + 3) = 12 values but found 3");
    assertThatThrownBy(() -> EmdLayerWeights.fromFlat(new double[] {2.5, 3}))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("not two positive layer counts");
    Map<String, double[]> partial = SEPARATE.toMap();
    partial.remove("teacher_hid");
    assertThatThrownBy(() -> EmdLayerWeights.fromMap(partial))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("key 'teacher_hid'");
    assertThatThrownBy(
            () -> new EmdLayerWeights(new double[2], new double[3], new double[3], new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2x3 but hidden weights 3x3");
  }

  @Test
  void arraysAreCopiedInAndOut() {
    double[] s = {0.5, 0.5};
    EmdLayerWeights w = EmdLayerWeights.shared(s, new double[] {1});
    s[0] = 9;
    w.studentAtt()[1] = 9;
    assertThat(w.studentAtt()).containsExactly(0.5, 0.5);
    assertThat(w.toMap().get("student_hid")).containsExactly(0.5, 0.5);
  }
}
