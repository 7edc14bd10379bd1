package dev.retort.trainer.remote;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.PaddingKeys;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.Tensor;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
   * Returns what is wrong with an output read back through its index entry: the entry must be the
   * one of the batch asked for, and the record it points to the output of that pass and batch.
   * The compacted index could otherwise hand the job another batch's outputs, whose shapes may
   * well fit.
   *
   * @param out the output read back
   * @param location its index entry
   * @param passId the pass asked for
   * @param batchKey the batch asked for ({@link BatchKeys#batchKey})
   * @return the problem, or empty when the output is the one asked for
   */
  public static Optional<String> mismatch(TeacherOutput out, TeacherOutputLocation location,
      String passId, long batchKey) {
    if (!location.getPassId().equals(passId) || location.getBatchIndex() != batchKey) {
      return Optional.of("its index entry names pass " + location.getPassId() + ", batch "
          + location.getBatchIndex() + " instead of pass " + passId + ", batch " + batchKey);
    }
    if (!out.getPassId().equals(location.getPassId())
        || out.getBatchIndex() != location.getBatchIndex()) {
      return Optional.of("the record its index entry points to holds the output of pass "
          + out.getPassId() + ", batch " + out.getBatchIndex() + ", not of pass "
          + location.getPassId() + ", batch " + location.getBatchIndex());
    }
    return Optional.empty();
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
   * @throws BadMessageException if the output does not fit the batch or lacks what the job needs
   *     ({@link BadMessageException#reason()} says which tensor and what)
   */
  public TeacherOutputs decode(TeacherOutput out, Batch batch, TeacherSelection selection, NDManager manager) {
    OutputSelection sel = out.getSelection();
    if (out.getHiddenCount() != sel.getHiddenLayersCount()
        || out.getScoresCount() != sel.getScoreLayersCount()) {
      throw new BadMessageException("selection", "the output has " + out.getHiddenCount()
          + " hidden states and " + out.getScoresCount() + " attention scores for the "
          + sel.getHiddenLayersCount() + " and " + sel.getScoreLayersCount() + " layers it names");
    }
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
        throw new BadMessageException("logits", "missing, although the job asked for them");
      }
      logits = StateDicts.toNd(manager, codec.decode("logits", out.getLogits()));
    }
    for (int l : selection.hiddenLayers()) {
      if (!hidden.containsKey(l)) {
        throw new BadMessageException("hidden state " + l, "missing (the output has hidden states "
            + sel.getHiddenLayersList() + ")");
      }
    }
    for (int l : selection.scoreLayers()) {
      if (!scores.containsKey(l)) {
        throw new BadMessageException("attention scores " + l, "missing (the output has scores "
            + sel.getScoreLayersList() + ")");
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
      throw new BadMessageException("key_length", keys + " key columns, but the batch has length " + batch.length()
          + " and a real token at position " + (needed - 1));
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
      throw new BadMessageException(what, "has shape " + h.shapeString() + " where "
          + Arrays.toString(expected).replace("-1", "*") + " was expected");
    }
    return StateDicts.toNd(manager, h);
  }
}
