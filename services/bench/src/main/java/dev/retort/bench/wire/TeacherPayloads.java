package dev.retort.bench.wire;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.protobuf.ByteString;
import dev.retort.core.distill.PaddingKeys;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.StateDicts;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds {@link TeacherOutput} messages the way the teacher service does: the selection's hidden
 * states and scores converted to the wire type by {@link TensorCodec} (fp32 exact, fp16/bf16
 * rounded to nearest even), at the batch's bucket length, scores trimmed to the batch's last real
 * key ({@link PaddingKeys}); the logits in fp32. Decodes them back the
 * way the trainer does. Also builds the dense reference: fp32, every layer, at the job's padded
 * maximum length.
 */
public final class TeacherPayloads {
  private final TensorCodec codec;

  /**
   * Creates the builder.
   *
   * @param codec converts and validates tensors
   */
  public TeacherPayloads(TensorCodec codec) {
    this.codec = codec;
  }

  /**
   * Encodes the selected outputs of one batch.
   *
   * @param all the teacher's fp32 outputs (at least the selection)
   * @param selection what is sent
   * @param wire the wire type of hidden states and scores
   * @param length the batch's (bucket) length
   * @param keys the key columns the scores keep: the batch's {@link PaddingKeys#keyLength}, as
   *     the trainer asks of the teacher service
   * @return the message
   */
  public TeacherOutput encode(
      TeacherOutputs all, TeacherSelection selection, DType wire, int length, int keys) {
    TeacherOutput.Builder b = header(selection, wire, length).setKeyLength(keys);
    b.setSelection(b.getSelection().toBuilder().setTrimPaddingKeys(true));
    for (int i : selection.hiddenLayers()) {
      b.addHidden(tensor(all.hidden(i), wire)); // [B, L, H]
    }
    for (int l : selection.scoreLayers()) {
      b.addScores(tensor(PaddingKeys.trim(all.scores(l), keys), wire)); // [B, A, L, K]
    }
    if (selection.logits()) {
      b.setLogits(tensor(all.requireLogits(), DType.DTYPE_FP32)); // [B, C]
    }
    return b.build();
  }

  /**
   * Converts one array to a wire tensor.
   *
   * @param array a float array
   * @param wire the wire type
   * @return the tensor
   */
  public Tensor tensor(NDArray array, DType wire) {
    return codec.encode(StateDicts.toHost(array), wire);
  }

  /**
   * Returns a message with the header of a selection and no tensors yet, for callers that add
   * tensors one at a time (and free each array before making the next).
   *
   * @param selection what the message will carry
   * @param wire the wire type of hidden states and scores
   * @param length the batch's length
   * @return the builder
   */
  public TeacherOutput.Builder header(TeacherSelection selection, DType wire, int length) {
    return start(selection, wire, length);
  }

  /**
   * Builds the dense reference of a batch: fp32, hidden states 0..N, scores 1..N and logits, at the
   * padded maximum length. The tensors are zeros (the size does not depend on the values) sharing
   * one buffer.
   *
   * @param teacher the teacher's shape
   * @param batch B
   * @param maxLength the padded length
   * @param classes C
   * @return the message
   */
  public TeacherOutput dense(BertConfig teacher, int batch, int maxLength, int classes) {
    int n = teacher.numLayers();
    TeacherSelection all = TeacherSelection.all(n);
    long[] hidden = {batch, maxLength, teacher.hiddenSize()};
    long[] scores = {batch, teacher.numHeads(), maxLength, maxLength};
    long[] logits = {batch, classes};
    ByteString zeros =
        ByteString.copyFrom(new byte[(int) (4 * Math.max(numel(hidden), numel(scores)))]);
    TeacherOutput.Builder b = start(all, DType.DTYPE_FP32, maxLength);
    for (int i = 0; i <= n; i++) {
      b.addHidden(zeroTensor(hidden, zeros));
    }
    for (int l = 1; l <= n; l++) {
      b.addScores(zeroTensor(scores, zeros));
    }
    b.setLogits(zeroTensor(logits, zeros));
    return b.build();
  }

  /**
   * Decodes a message into arrays of {@code manager}, as the trainer does.
   *
   * @param out the message
   * @param manager where the arrays go
   * @return the outputs
   */
  public TeacherOutputs decode(TeacherOutput out, NDManager manager) {
    OutputSelection sel = out.getSelection();
    Map<Integer, NDArray> hidden = new HashMap<>();
    for (int i = 0; i < out.getHiddenCount(); i++) {
      hidden.put(
          sel.getHiddenLayers(i),
          StateDicts.toNd(manager, codec.decode("hidden[" + i + "]", out.getHidden(i))));
    }
    Map<Integer, NDArray> scores = new HashMap<>();
    for (int i = 0; i < out.getScoresCount(); i++) {
      NDArray sent = StateDicts.toNd(manager, codec.decode("scores[" + i + "]", out.getScores(i)));
      scores.put(sel.getScoreLayers(i), PaddingKeys.restore(sent, out.getLength())); // [B, A, L, L]
    }
    NDArray logits =
        out.hasLogits() ? StateDicts.toNd(manager, codec.decode("logits", out.getLogits())) : null;
    return new TeacherOutputs(hidden, scores, logits);
  }

  private static TeacherOutput.Builder start(TeacherSelection selection, DType wire, int length) {
    OutputSelection sel =
        OutputSelection.newBuilder()
            .addAllHiddenLayers(selection.hiddenLayers())
            .addAllScoreLayers(selection.scoreLayers())
            .setLogits(selection.logits())
            .setDtype(wire)
            .build();
    return TeacherOutput.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId("0123456789abcdef")
        .setBatchIndex(Long.MAX_VALUE / 3)
        .setLength(length)
        .setSelection(sel)
        .setComputedBy("retort-bench")
        .setComputeMs(1234.5);
  }

  private static Tensor zeroTensor(long[] shape, ByteString zeros) {
    Tensor.Builder t = Tensor.newBuilder().setDtype(DType.DTYPE_FP32);
    for (long d : shape) {
      t.addShape(d);
    }
    return t.setData(zeros.substring(0, (int) (4 * numel(shape)))).build();
  }

  private static long numel(long[] shape) {
    return java.util.Arrays.stream(shape).reduce(1, (a, c) -> a * c);
  }
}
