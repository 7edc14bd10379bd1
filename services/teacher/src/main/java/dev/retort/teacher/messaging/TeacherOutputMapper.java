package dev.retort.teacher.messaging;

import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.DecodeLimits;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.SentMessage;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.Tensor;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.teacher.inference.BatchInput;
import dev.retort.teacher.inference.ComputedOutput;
import dev.retort.teacher.inference.ModelKey;
import java.util.TreeSet;

/**
 * The one place where teacher messages meet core values: {@link TeacherRequest} to a {@link
 * TeacherTask}, and computed outputs to {@link TeacherOutput} and {@link TeacherOutputLocation}.
 *
 * <p>Hidden states and scores travel in the requested wire type (fp32 is exact; fp16 and bf16 are
 * rounded to nearest even by {@link TensorCodec}); logits always travel as fp32, being tiny and
 * the most sensitive to rounding. The output has exactly the request's length L: the trainer pads
 * each batch to its length bucket (or to the job's maximum length), and, when the request asks
 * for it, scores keep only the key columns up to the batch's last real position ({@link
 * dev.retort.core.distill.PaddingKeys}: the others are padding keys that every loss masks). Layer lists are echoed sorted and without repeats, the order of {@code
 * hidden} and {@code scores}.
 */
public final class TeacherOutputMapper {
  private static final int MAX_ID_LENGTH = 128;

  private final TensorCodec codec;
  private final int maxBatchTokens;

  /**
   * Creates a mapper.
   *
   * @param maxBatchTokens the largest B x L a request may carry
   */
  public TeacherOutputMapper(int maxBatchTokens) {
    this.maxBatchTokens = maxBatchTokens;
    this.codec = new TensorCodec(DecodeLimits.defaults().withMaxElements(maxBatchTokens));
  }

  /**
   * Decodes and checks a request.
   *
   * @param r the request
   * @return the task
   * @throws BadMessageException naming the first field that is wrong
   */
  public TeacherTask toTask(TeacherRequest r) {
    String passId = r.getPassId();
    if (passId.isEmpty() || passId.length() > MAX_ID_LENGTH || passId.contains("/")) {
      throw new BadMessageException("pass_id", "'" + passId + "' is not a pass id (1 to "
          + MAX_ID_LENGTH + " characters, no '/')");
    }
    if (r.getTeacherRef().isBlank()) {
      throw new BadMessageException("teacher_ref", "is empty");
    }
    if (r.getNumLabels() < 1 || (r.getRegression() && r.getNumLabels() != 1)) {
      throw new BadMessageException("num_labels", r.getNumLabels() + " labels"
          + (r.getRegression() ? " for a regression head (needs 1)" : " (needs at least 1)"));
    }
    if (r.getDomain() < 0) {
      throw new BadMessageException("domain", "is negative: " + r.getDomain());
    }
    TeacherSelection selection = selection(r.getSelection());
    int[][] ids = matrix("input_ids", r.getInputIds());
    int[][] types = matrix("token_type_ids", r.getTokenTypeIds());
    int[][] mask = matrix("attention_mask", r.getAttentionMask());
    if (types.length != ids.length || mask.length != ids.length
        || types[0].length != ids[0].length || mask[0].length != ids[0].length) {
      throw new BadMessageException("token_type_ids, attention_mask",
          "shapes differ from input_ids [" + ids.length + ", " + ids[0].length + "]");
    }
    return new TeacherTask(Topics.teacherKey(passId, r.getBatchIndex()),
        new ModelKey(r.getTeacherRef().strip(), r.getNumLabels(), r.getRegression(),
            r.getDomain()),
        new BatchInput(ids, types, mask), selection, wireType(r.getSelection().getDtype()),
        r.getDropout(), r.getSelection().getTrimPaddingKeys());
  }

  /**
   * Builds the output message.
   *
   * @param r the request
   * @param task the decoded request
   * @param out the computed outputs, in selection order
   * @param computedBy this replica's name
   * @return the output
   */
  public TeacherOutput toOutput(TeacherRequest r, TeacherTask task, ComputedOutput out,
      String computedBy) {
    TeacherOutput.Builder b = TeacherOutput.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setPassId(r.getPassId())
        .setBatchIndex(r.getBatchIndex())
        .setLength(task.input().length())
        .setSelection(echo(task))
        .setComputedBy(computedBy)
        .setComputeMs(out.computeMillis())
        .setKeyLength(out.keyLength());
    for (HostTensor h : out.hidden()) {
      b.addHidden(codec.encode(h, task.wireType())); // [B, L, H]
    }
    for (HostTensor s : out.scores()) {
      b.addScores(codec.encode(s, task.wireType())); // [B, A, L, K]
    }
    if (out.logits() != null) {
      b.setLogits(codec.encode(out.logits(), DType.DTYPE_FP32)); // [B, C]
    }
    return b.build();
  }

  /**
   * Builds the index entry of a published output.
   *
   * @param output the output
   * @param sent where it landed
   * @param topic the output topic
   * @return the location
   */
  public TeacherOutputLocation toLocation(TeacherOutput output, SentMessage sent, String topic) {
    return TeacherOutputLocation.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setPassId(output.getPassId())
        .setBatchIndex(output.getBatchIndex())
        .setTopic(topic)
        .setPartition(sent.partition())
        .setOffset(sent.offset())
        .setChunks(sent.chunks())
        .setMessageId(sent.messageId())
        .setBytes(sent.bytes())
        .build();
  }

  private static TeacherSelection selection(OutputSelection s) {
    TreeSet<Integer> hidden = new TreeSet<>();
    for (int i : s.getHiddenLayersList()) {
      if (i < 0) {
        throw new BadMessageException("selection.hidden_layers", "index " + i + " is negative");
      }
      hidden.add(i);
    }
    TreeSet<Integer> scores = new TreeSet<>();
    for (int l : s.getScoreLayersList()) {
      if (l < 1) {
        throw new BadMessageException("selection.score_layers", "layer " + l
            + " does not exist (layers are 1-based)");
      }
      scores.add(l);
    }
    if (hidden.isEmpty() && scores.isEmpty() && !s.getLogits()) {
      throw new BadMessageException("selection", "selects nothing (no hidden states, no scores, "
          + "no logits)");
    }
    return new TeacherSelection(hidden, scores, s.getLogits());
  }

  private static DType wireType(DType requested) {
    return switch (requested) {
      case DTYPE_UNSPECIFIED, DTYPE_FP32 -> DType.DTYPE_FP32;
      case DTYPE_FP16, DTYPE_BF16 -> requested;
      default -> throw new BadMessageException("selection.dtype", requested
          + " is not a floating wire type (FP32, FP16 or BF16)");
    };
  }

  private static OutputSelection echo(TeacherTask task) {
    return OutputSelection.newBuilder()
        .addAllHiddenLayers(task.selection().hiddenLayers())
        .addAllScoreLayers(task.selection().scoreLayers())
        .setLogits(task.selection().logits())
        .setDtype(task.wireType())
        .setTrimPaddingKeys(task.trimPaddingKeys())
        .build();
  }

  private int[][] matrix(String name, Tensor t) {
    HostTensor h = codec.decode(name, t);
    if (h.dtype() != dev.retort.core.tensor.DType.I64 || h.rank() != 2) {
      throw new BadMessageException(name, "expected an INT64 tensor [B, L], got " + t.getDtype()
          + " " + h.shapeString());
    }
    int b = (int) h.dim(0);
    int l = (int) h.dim(1);
    if (b < 1 || l < 1) {
      throw new BadMessageException(name, "the batch is empty: " + h.shapeString());
    }
    if ((long) b * l > maxBatchTokens) {
      throw new BadMessageException(name, "B x L = " + ((long) b * l) + " exceeds the limit of "
          + maxBatchTokens + " (retort.teacher.limits.max-batch-tokens)");
    }
    long[] flat = h.toLongs();
    int[][] out = new int[b][l];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < l; j++) {
        long v = flat[i * l + j];
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new BadMessageException(name, "value " + v + " at [" + i + ", " + j
              + "] does not fit an int");
        }
        out[i][j] = (int) v;
      }
    }
    return out;
  }
}
