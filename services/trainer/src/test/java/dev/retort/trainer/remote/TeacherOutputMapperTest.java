package dev.retort.trainer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.BertInput;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.TeacherOutput;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Decoding teacher outputs whose scores were trimmed to the batch's last real key. */
class TeacherOutputMapperTest {
  private final TensorCodec codec = TensorCodec.defaults();
  private final TeacherOutputMapper mapper = new TeacherOutputMapper(codec);
  private final TeacherSelection scoresOnly =
      new TeacherSelection(new TreeSet<>(), new TreeSet<>(Set.of(1)), false);

  /** One row of length 4 with {@code real} real tokens. */
  private static Batch batch(int real) {
    int[][] ids = new int[1][4];
    int[][] mask = new int[1][4];
    for (int t = 0; t < real; t++) {
      ids[0][t] = 1000 + t;
      mask[0][t] = 1;
    }
    return new Batch(0, 0, new int[] {0}, ids, new int[1][4], mask, new int[] {0}, null, new int[] {0}, 4);
  }

  /** Scores [1, 1, 4, keys] with values 1, 2, 3, ... and the given key_length. */
  private TeacherOutput output(int keys, int keyLength) {
    float[] v = new float[4 * keys];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    return TeacherOutput.newBuilder()
        .setBatchIndex(7)
        .setLength(4)
        .setKeyLength(keyLength)
        .setSelection(TeacherOutputMapper.selection(scoresOnly, DType.DTYPE_FP32))
        .addScores(codec.encode(HostTensor.ofFloats(new long[] {1, 1, 4, keys}, v), DType.DTYPE_FP32))
        .build();
  }

  @Test
  void requestsAskForTrimmedScores() {
    assertThat(TeacherOutputMapper.selection(scoresOnly, DType.DTYPE_FP16).getTrimPaddingKeys()).isTrue();
  }

  @Test
  void trimmedScoresGetThePaddingKeysBiasBackInTheirColumns() {
    try (NDManager m = NDManager.newBaseManager()) {
      TeacherOutputs out = mapper.decode(output(2, 2), batch(2), scoresOnly, m);
      NDArray s = out.scores(1); // [1, 1, 4, 4]
      assertThat(s.getShape().getShape()).containsExactly(1, 1, 4, 4);
      float pad = BertInput.PADDING_KEY_BIAS;
      assertThat(s.toFloatArray()).containsExactly(
          1, 2, pad, pad,
          3, 4, pad, pad,
          5, 6, pad, pad,
          7, 8, pad, pad);
    }
  }

  @Test
  void untrimmedScoresFromATeacherThatIgnoresTheFlagAreReadAsTheyAre() {
    try (NDManager m = NDManager.newBaseManager()) {
      TeacherOutputs out = mapper.decode(output(4, 0), batch(2), scoresOnly, m);
      assertThat(out.scores(1).toFloatArray()).hasSize(16).startsWith(1, 2, 3, 4, 5);
    }
  }

  @Test
  void scoresTrimmedOverARealTokenAreRefusedNamingThePosition() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> mapper.decode(output(2, 2), batch(3), scoresOnly, m))
          .isInstanceOf(BadMessageException.class)
          .hasMessageContaining("key_length")
          .hasMessageContaining("a real token at position 2");
      assertThatThrownBy(() -> mapper.decode(output(2, 3), batch(2), scoresOnly, m))
          .isInstanceOf(BadMessageException.class)
          .hasMessageContaining("attention scores 1: has shape [1, 1, 4, 2] where [1, *, 4, 3] was expected");
    }
  }
}
