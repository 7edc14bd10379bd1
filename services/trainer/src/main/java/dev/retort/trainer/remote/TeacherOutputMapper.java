package dev.retort.trainer.remote;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.Tensor;
import dev.retort.proto.v1.TeacherOutput;
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

  /** Returns the wire selection of a method's teacher selection. */
  public static OutputSelection selection(TeacherSelection s, DType dtype) {
    return OutputSelection.newBuilder()
        .addAllHiddenLayers(s.hiddenLayers())
        .addAllScoreLayers(s.scoreLayers())
        .setLogits(s.logits())
        .setDtype(dtype)
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
        hidden.put(layer, checked("hidden state " + layer, out.getHidden(i), batch, 3, manager));
      }
    }
    Map<Integer, NDArray> scores = new HashMap<>();
    for (int i = 0; i < out.getScoresCount(); i++) {
      int layer = sel.getScoreLayers(i);
      if (selection.scoreLayers().contains(layer)) {
        scores.put(layer, checked("attention scores " + layer, out.getScores(i), batch, 4, manager));
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

  private NDArray checked(String what, Tensor t, Batch batch, int rank, NDManager manager) {
    HostTensor h = codec.decode(what, t);
    long[] s = h.shape();
    boolean ok = s.length == rank && s[0] == batch.size() && s[rank == 3 ? 1 : 2] == batch.length();
    if (!ok) {
      throw new IllegalStateException(what + " has shape " + h.shapeString() + " for a batch of " + batch.size() + " x " + batch.length());
    }
    return StateDicts.toNd(manager, h);
  }
}
