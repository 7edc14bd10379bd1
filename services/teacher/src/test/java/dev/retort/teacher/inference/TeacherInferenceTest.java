package dev.retort.teacher.inference;

import static dev.retort.core.tensor.DType.BF16;
import static dev.retort.core.tensor.DType.F16;
import static dev.retort.core.tensor.DType.F32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.BadMessageException;
import dev.retort.teacher.TinyTeachers;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TeacherInferenceTest {
  private static CachedTeacher teacher;

  @BeforeAll
  static void load() {
    teacher = new TeacherLoader(Path.of("target"), LoadOptions.defaults(), 7)
        .load(new ModelKey("preset:tiny", 3, false, 0));
  }

  @AfterAll
  static void free() {
    teacher.close();
  }

  private static TeacherSelection select(List<Integer> hidden, List<Integer> scores) {
    return new TeacherSelection(new TreeSet<>(hidden), new TreeSet<>(scores), true);
  }

  private static BatchInput batch(int l) {
    int[][][] b = TinyTeachers.batch(9, 2, l);
    return new BatchInput(b[0], b[1], b[2]);
  }

  @Test
  void keepsExactlyTheSelectedOutputsWithTheRequestsShapes() {
    ComputedOutput out = TeacherInference.run(teacher, batch(8), select(List.of(0, 2),
        List.of(2)), 0, false, F32);
    assertThat(out.hidden()).hasSize(2);
    assertThat(out.hidden().get(0).shape()).containsExactly(2, 8, 32);
    assertThat(out.scores()).hasSize(1);
    assertThat(out.scores().get(0).shape()).containsExactly(2, 4, 8, 8);
    assertThat(out.logits().shape()).containsExactly(2, 3);
  }

  @Test
  void scoresAskedTrimmedKeepTheKeyColumnsUpToTheLastRealTokenAndNothingElseChanges() {
    // Both rows of length 8 padded: the first has 5 real tokens, the second 3.
    int[][][] b = TinyTeachers.batch(9, 2, 8);
    for (int t = 5; t < 8; t++) {
      b[0][0][t] = 0;
      b[1][0][t] = 0;
      b[2][0][t] = 0;
    }
    BatchInput in = new BatchInput(b[0], b[1], b[2]);
    TeacherSelection sel = select(List.of(0, 2), List.of(1, 2));
    ComputedOutput full = TeacherInference.run(teacher, in, sel, 0, false, F32, false);
    ComputedOutput trimmed = TeacherInference.run(teacher, in, sel, 0, false, F32, true);
    assertThat(full.keyLength()).isZero();
    assertThat(trimmed.keyLength()).isEqualTo(5);
    for (int k = 0; k < 2; k++) {
      assertThat(trimmed.hidden().get(k).toFloats()).containsExactly(full.hidden().get(k).toFloats());
      assertThat(trimmed.scores().get(k).shape()).containsExactly(2, 4, 8, 5);
      float[] all = full.scores().get(k).toFloats(); // [2, 4, 8, 8]
      float[] kept = trimmed.scores().get(k).toFloats(); // [2, 4, 8, 5]
      for (int row = 0; row < 2 * 4 * 8; row++) {
        for (int key = 0; key < 8; key++) {
          if (key < 5) {
            assertThat(kept[row * 5 + key]).isEqualTo(all[row * 8 + key]);
          } else {
            assertThat(all[row * 8 + key]).as("a padding key's score").isLessThan(-100f);
          }
        }
      }
    }
    assertThat(trimmed.logits()).isEqualTo(full.logits());
  }

  @Test
  void halfWireTypesAreTheFp32OutputsRoundedToNearestEven() {
    BatchInput in = batch(8);
    TeacherSelection sel = select(List.of(0, 2), List.of(1, 2));
    ComputedOutput exact = TeacherInference.run(teacher, in, sel, 0, false, F32);
    for (DType wire : List.of(F16, BF16)) {
      ComputedOutput narrow = TeacherInference.run(teacher, in, sel, 0, false, wire);
      for (int k = 0; k < 2; k++) {
        assertRounded(exact.hidden().get(k), narrow.hidden().get(k), wire);
        assertRounded(exact.scores().get(k), narrow.scores().get(k), wire);
      }
      assertThat(narrow.logits()).isEqualTo(exact.logits()); // logits stay fp32
    }
  }

  private static void assertRounded(HostTensor exact, HostTensor narrow, DType wire) {
    assertThat(narrow.dtype()).isEqualTo(wire);
    assertThat(narrow.shape()).isEqualTo(exact.shape());
    float[] f = exact.toFloats();
    short[] got = new short[f.length];
    narrow.data().asShortBuffer().get(got);
    for (int i = 0; i < f.length; i++) {
      short want = wire == F16 ? HalfFloats.toF16(f[i]) : HalfFloats.toBf16(f[i]);
      assertThat(got[i]).as("%s element %d of %s", wire, i, f[i]).isEqualTo(want);
    }
  }

  @Test
  void batchesThatDoNotFitTheTeacherAreTheSendersError() {
    BatchInput ok = batch(8);
    int[][] ids = ok.ids().clone();
    ids[0] = ids[0].clone();
    ids[0][3] = 30522;
    assertThatThrownBy(() -> TeacherInference.run(teacher, new BatchInput(ids, ok.types(),
        ok.mask()), select(List.of(0), List.of()), 0, false, F32))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("input_ids")
        .hasMessageContaining("[0, 3]");
    assertThatThrownBy(() -> TeacherInference.run(teacher, batch(129), select(List.of(0),
        List.of()), 0, false, F32)).hasMessageContaining("128 position embeddings");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(3), List.of()), 0, false, F32))
        .hasMessageContaining("hidden state 3 does not exist");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(), List.of(3)), 0, false, F32))
        .hasMessageContaining("layer 3 does not exist");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(0), List.of()), 1, false, F32))
        .hasMessageContaining("domain 1 has no head");
  }

  @Test
  void dropoutIsOffUnlessTheRequestAsksForIt() {
    BatchInput in = batch(8);
    TeacherSelection sel = select(List.of(2), List.of(2));
    float[] first = TeacherInference.run(teacher, in, sel, 0, false, F32).hidden().get(0).toFloats();
    float[] again = TeacherInference.run(teacher, in, sel, 0, false, F32).hidden().get(0).toFloats();
    assertThat(again).containsExactly(first);

    ComputedOutput on = TeacherInference.run(teacher, in, sel, 0, true, F32);
    float[] dropped = on.hidden().get(0).toFloats();
    assertThat(dropped).hasSameSizeAs(first);
    assertThat(dropped).isNotEqualTo(first);
    float[] droppedAgain = TeacherInference.run(teacher, in, sel, 0, true, F32).hidden().get(0).toFloats();
    assertThat(droppedAgain).isNotEqualTo(dropped); // a fresh draw of the masks per call
  }
}
