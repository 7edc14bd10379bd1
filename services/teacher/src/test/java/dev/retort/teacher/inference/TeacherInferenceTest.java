package dev.retort.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.distill.TeacherSelection;
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
        List.of(2)), 0, false);
    assertThat(out.hidden()).hasSize(2);
    assertThat(out.hidden().get(0).shape()).containsExactly(2, 8, 32);
    assertThat(out.scores()).hasSize(1);
    assertThat(out.scores().get(0).shape()).containsExactly(2, 4, 8, 8);
    assertThat(out.logits().shape()).containsExactly(2, 3);
  }

  @Test
  void batchesThatDoNotFitTheTeacherAreTheSendersError() {
    BatchInput ok = batch(8);
    int[][] ids = ok.ids().clone();
    ids[0] = ids[0].clone();
    ids[0][3] = 30522;
    assertThatThrownBy(() -> TeacherInference.run(teacher, new BatchInput(ids, ok.types(),
        ok.mask()), select(List.of(0), List.of()), 0, false))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("input_ids")
        .hasMessageContaining("[0, 3]");
    assertThatThrownBy(() -> TeacherInference.run(teacher, batch(129), select(List.of(0),
        List.of()), 0, false)).hasMessageContaining("128 position embeddings");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(3), List.of()), 0, false))
        .hasMessageContaining("hidden state 3 does not exist");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(), List.of(3)), 0, false))
        .hasMessageContaining("layer 3 does not exist");
    assertThatThrownBy(() -> TeacherInference.run(teacher, ok, select(List.of(0), List.of()), 1, false))
        .hasMessageContaining("domain 1 has no head");
  }

  @Test
  void dropoutIsOffUnlessTheRequestAsksForIt() {
    BatchInput in = batch(8);
    TeacherSelection sel = select(List.of(2), List.of(2));
    float[] first = TeacherInference.run(teacher, in, sel, 0, false).hidden().get(0).toFloats();
    float[] again = TeacherInference.run(teacher, in, sel, 0, false).hidden().get(0).toFloats();
    assertThat(again).containsExactly(first);

    ComputedOutput on = TeacherInference.run(teacher, in, sel, 0, true);
    float[] dropped = on.hidden().get(0).toFloats();
    assertThat(dropped).hasSameSizeAs(first);
    assertThat(dropped).isNotEqualTo(first);
    float[] droppedAgain = TeacherInference.run(teacher, in, sel, 0, true).hidden().get(0).toFloats();
    assertThat(droppedAgain).isNotEqualTo(dropped); // a fresh draw of the masks per call
  }
}
