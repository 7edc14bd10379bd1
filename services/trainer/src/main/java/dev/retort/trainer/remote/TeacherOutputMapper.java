package dev.retort.trainer.remote;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.PaddingKeys;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.Tensor;
import dev.retort.proto.v1.TeacherOutput;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Maps between the core's batches and teacher outputs and their protobuf messages. */
public final class TeacherOutputMapper {
  private final TensorCodec codec;

  /**
   * Creates the mapper.
   *
   * @param codec validates and converts tensors
   */
  public TeacherOutputMapper(TensorCodec codec) {
    this.codec = codec;
  }

  /**
   * Returns the wire selection of a method's teacher selection. Scores are asked for only up to
   * each batch's last real key ({@link PaddingKeys}); {@link #decode} restores the rest.
   */
  public static OutputSelection selection(TeacherSelection s, DType dtype) {
    return OutputSelection.newBuilder()
        .addAllHiddenLayers(s.hiddenLayers())
        .addAllScoreLayers(s.scoreLayers())
        .setLogits(s.logits())
        .setDtype(dtype)
        .setTrimPaddingKeys(true)
        .build();
  }

  /** Encodes a [B, L] integer matrix as an int64 tensor. */
  public Tensor ints(int[][] rows) {
    int b = rows.length;
    int l = b == 0 ? 0 : rows[0].length;
    long[] flat = new long[b * l];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < l; j++) {
        flat[i * l + j] = rows[i][j];
      }
    }
    return codec.encode(HostTensor.ofLongs(new long[] {b, l}, flat));
  }

  /**
   * Decodes an output into arrays of the step's manager, checking that it belongs to the batch.
   * Scores trimmed to the batch's last real key get their padding-key columns back ({@link
   * PaddingKeys#restore}), after a check that the batch has no real token among them.
   *
   * @param out the message
   * @param batch the batch it must belong to
   * @param selection what the job needs
   * @param manager the step's manager
   * @return the outputs
   */
  public TeacherOutputs decode(TeacherOutput out, Batch batch, TeacherSelection selection, NDManager manager) {
    OutputSelection sel = out.getSelection();
    Map<Integer, NDArray> hidden = new HashMap<>();
    for (int i = 0; i < out.getHiddenCount(); i++) {
      int layer = sel.getHiddenLayers(i);
      if (selection.hiddenLayers().contains(layer)) {
        hidden.put(layer, checked("hidden state " + layer, out.getHidden(i), new long[] {batch.size(), batch.length(), -1}, manager)); // [B, L, H]
      }
    }
    Map<Integer, NDArray> scores = new HashMap<>();
    int keys = keyLength(out, batch);
    for (int i = 0; i < out.getScoresCount(); i++) {
      int layer = sel.getScoreLayers(i);
      if (selection.scoreLayers().contains(layer)) {
        NDArray trimmed = checked("attention scores " + layer, out.getScores(i), new long[] {batch.size(), -1, batch.length(), keys}, manager); // [B, A, L, K]
        NDArray restored = PaddingKeys.restore(trimmed, batch.length()); // [B, A, L, L]
        if (restored != trimmed) {
          trimmed.close();
        }
        scores.put(layer, restored);
      }
    }
    NDArray logits = null;
    if (selection.logits()) {
      if (!out.hasLogits()) {
        throw new IllegalStateException("teacher output of batch " + out.getBatchIndex() + " has no logits");
      }
      logits = StateDicts.toNd(manager, codec.decode("logits", out.getLogits()));
    }
    for (int l : selection.hiddenLayers()) {
      if (!hidden.containsKey(l)) {
        throw new IllegalStateException("teacher output lacks hidden state " + l + " (has " + sel.getHiddenLayersList() + ")");
      }
    }
    for (int l : selection.scoreLayers()) {
      if (!scores.containsKey(l)) {
        throw new IllegalStateException("teacher output lacks attention scores of layer " + l);
      }
    }
    return new TeacherOutputs(hidden, scores, logits);
  }

  /**
   * Returns the key columns the output's scores have: its key_length (0: all of them), checked to
   * cover every real token of the batch.
   */
  private static int keyLength(TeacherOutput out, Batch batch) {
    int keys = out.getKeyLength() == 0 ? batch.length() : out.getKeyLength();
    int needed = PaddingKeys.keyLength(batch.attentionMask());
    if (keys > batch.length() || keys < needed) {
      throw new IllegalStateException("teacher output of batch " + out.getBatchIndex() + " has scores of " + keys
          + " key columns, but the batch has length " + batch.length() + " and a real token at position " + (needed - 1));
    }
    return keys;
  }

  /**
   * Decodes a tensor, checking its shape: {@code expected} gives each dimension, -1 where any size
   * is right (the width H, the heads A).
   */
  private NDArray checked(String what, Tensor t, long[] expected, NDManager manager) {
    HostTensor h = codec.decode(what, t);
    long[] s = h.shape();
    boolean ok = s.length == expected.length;
    for (int d = 0; ok && d < s.length; d++) {
      ok = expected[d] < 0 || s[d] == expected[d];
    }
    if (!ok) {
      throw new IllegalStateException(what + " has shape " + h.shapeString() + " where "
          + Arrays.toString(expected).replace("-1", "*") + " was expected");
    }
    return StateDicts.toNd(manager, h);
  }
}
