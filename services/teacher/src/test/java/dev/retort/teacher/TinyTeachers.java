package dev.retort.teacher;

import com.google.protobuf.ByteString;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.teacher.inference.CachedTeacher;
import dev.retort.teacher.inference.ModelKey;
import dev.retort.teacher.inference.TeacherLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A tiny teacher (the {@code tiny} preset, BERT's vocabulary) and requests for it. */
public final class TinyTeachers {
  /** Labels of the tiny teacher's head. */
  public static final int LABELS = 3;

  private TinyTeachers() {}

  /**
   * Writes a randomly initialised tiny teacher as a model directory.
   *
   * @param dir the directory
   */
  public static void write(Path dir) throws IOException {
    TeacherLoader loader = new TeacherLoader(dir.getParent(), LoadOptions.defaults(), 7);
    try (CachedTeacher t = loader.load(new ModelKey("preset:tiny", LABELS, false, 0))) {
      ModelDirectory.write(dir, t.model());
    }
  }

  /** Returns a padded batch: ids, segment ids and mask, [B, L] each; row 1 is half padding. */
  public static int[][][] batch(long seed, int b, int l) {
    Random random = new Random(seed);
    int[][] ids = new int[b][l];
    int[][] types = new int[b][l];
    int[][] mask = new int[b][l];
    for (int i = 0; i < b; i++) {
      int real = i == 1 ? l / 2 : l;
      for (int t = 0; t < real; t++) {
        ids[i][t] = t == 0 ? 101 : t == real - 1 ? 102 : 1000 + random.nextInt(20000);
        types[i][t] = t >= real / 2 ? 1 : 0;
        mask[i][t] = 1;
      }
    }
    return new int[][][] {ids, types, mask};
  }

  /** Returns a request for every hidden state, every layer's scores and the logits. */
  public static TeacherRequest request(String passId, long batchKey, String ref,
      int[][][] batch, DType dtype) {
    return TeacherRequest.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setPassId(passId)
        .setBatchIndex(batchKey)
        .setTeacherRef(ref)
        .setNumLabels(LABELS)
        .setSelection(OutputSelection.newBuilder().addAllHiddenLayers(List.of(0, 1, 2))
            .addAllScoreLayers(List.of(1, 2)).setLogits(true).setDtype(dtype))
        .setInputIds(tensor(batch[0]))
        .setTokenTypeIds(tensor(batch[1]))
        .setAttentionMask(tensor(batch[2]))
        .setRequestedBy("job-1")
        .build();
  }

  /** Returns a request whose bytes are not a TeacherRequest at all. */
  public static ByteString garbage() {
    return ByteString.copyFromUtf8("this is not a protobuf message \u0000\u0001\u0002");
  }

  private static dev.retort.proto.v1.Tensor tensor(int[][] rows) {
    int b = rows.length;
    int l = rows[0].length;
    long[] flat = new long[b * l];
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < l; t++) {
        flat[i * l + t] = rows[i][t];
      }
    }
    return TensorCodec.defaults().encode(HostTensor.ofLongs(new long[] {b, l}, flat));
  }
}
