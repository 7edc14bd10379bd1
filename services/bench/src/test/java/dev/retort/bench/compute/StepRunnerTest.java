package dev.retort.bench.compute;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.bench.BenchSettings.StepShape;
import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainingListener.StepReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

  @Test
  void givenTeacherOutputsOutliveEveryStepInTheirOwnManager() throws Exception {
    try (StepWorkload w = StepWorkload.create(new StepShape("tiny", "tiny", 2, 8, 1, 2, 1), 3)) {
      var given = w.given();
      List<NDArray> arrays = new ArrayList<>(given.hidden().values());
      arrays.addAll(given.scores().values());
      arrays.add(given.logits());
      List<NDManager> owners = arrays.stream().map(NDArray::getManager).toList();
      float[] before = given.hidden(0).toFloatArray();

      List<StepReport> reports = StepRunner.run(w, 3, null);

      assertThat(reports).hasSize(3);
      for (StepReport r : reports) {
        assertThat(r.examples()).isEqualTo(2);
        assertThat(r.parts())
            .containsKeys(
                StepTimer.TEACHER,
                StepTimer.FORWARD,
                StepTimer.LOSS_SERVICE,
                StepTimer.BACKWARD,
                StepTimer.OPTIMIZER);
        assertThat(r.losses().get("total")).isFinite();
      }
      for (int i = 0; i < arrays.size(); i++) {
        assertThat(arrays.get(i).isReleased()).isFalse();
        assertThat(arrays.get(i).getManager()).isSameAs(owners.get(i));
      }
      assertThat(given.hidden(0).toFloatArray()).containsExactly(before);
      assertThat(w.teacherPasses()).isEqualTo(1);
    }
  }

  @Test
  void profiledPassesTimeThreePiecesAndLeaveTheWeightsAlone() {
    try (StepWorkload w = StepWorkload.create(new StepShape("tiny", "tiny", 2, 8, 1, 2, 1), 3)) {
      NDArray word = w.student().namedParameters().values().iterator().next().getArray();
      float[] before = word.toFloatArray();
      var profile = StepProfile.measure(w, 2);
      assertThat(profile).containsOnlyKeys("student forward", "loss terms", "backward");
      assertThat(profile.values()).allSatisfy(v -> assertThat(v).isPositive());
      // Arrays.equals, not containsExactly: AssertJ's element diff is quadratic on the ~4M
      // embedding floats.
      assertThat(java.util.Arrays.equals(word.toFloatArray(), before)).isTrue();
      assertThat(word.hasGradient() ? word.getGradient().abs().sum().getFloat() : 0f).isZero();
    }
  }

  @Test
  void syntheticBatchIsFullLengthWithClsAndSep() {
    var b = SyntheticBatch.of(3, 6, 30522, 3, 1);
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.length()).isEqualTo(6);
    assertThat(b.realTokens()).isEqualTo(18);
    assertThat(b.inputIds()[1][0]).isEqualTo(SyntheticBatch.CLS);
    assertThat(b.inputIds()[1][5]).isEqualTo(SyntheticBatch.SEP);
  }
}
