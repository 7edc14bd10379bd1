package dev.retort.bench.wire;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.PaddingKeys;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepTimer;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.TeacherOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures payload sizes and the loss each payload gives, batch by batch.
 *
 * <pre>
 * bytes/example(v)  = Σ_batches serialized size of v's TeacherOutput / Σ_batches B
 * ratio(v)          = bytes/example(v) / bytes/example(dense fp32, every layer, padded length)
 * Δloss(v)          = max_batches |L(v) − L(fp32 of v's method)| / |L(fp32 of v's method)|
 * </pre>
 *
 * The student's outputs are computed once per batch without dropout, so the loss differs only
 * through the teacher outputs.
 */
public final class WireMeasurement {
  /**
   * The totals of one variant.
   *
   * @param variant the payload
   * @param bytes serialized bytes over every batch
   * @param losses the loss of each batch
   * @param maxRelativeLossDifference the largest {@code Δloss} over the batches
   */
  public record Totals(
      WireVariant variant, long bytes, List<Double> losses, double maxRelativeLossDifference) {}

  private final TeacherPayloads payloads;
  private final List<WireVariant> variants;
  private final Map<String, Long> bytes = new LinkedHashMap<>();
  private final Map<String, List<Double>> losses = new LinkedHashMap<>();
  private final Map<String, Double> worst = new LinkedHashMap<>();
  private long denseBytes;
  private long examples;
  private final List<Integer> lengths = new java.util.ArrayList<>();

  /**
   * Creates the measurement.
   *
   * @param payloads encodes and decodes messages
   * @param variants the payloads; each method needs its fp32 variant, the reference of its loss
   */
  public WireMeasurement(TeacherPayloads payloads, List<WireVariant> variants) {
    this.payloads = payloads;
    this.variants = List.copyOf(variants);
    for (WireVariant v : variants) {
      bytes.put(v.name(), 0L);
      losses.put(v.name(), new java.util.ArrayList<>());
      worst.put(v.name(), 0.0);
    }
  }

  /**
   * Adds one batch: runs the teacher with every layer selected, the student once, and every
   * variant's encode, decode and loss.
   *
   * @param batch the bucket-padded batch
   * @param teacher the teacher
   * @param student the student
   * @param maxLength the dense reference's padded length
   * @param manager the parent of the batch's manager
   */
  public void add(
      Batch batch,
      BertForSequenceClassification teacher,
      BertForSequenceClassification student,
      int maxLength,
      NDManager manager) {
    Torch.noGradOnThisThread();
    BertConfig tc = teacher.config();
    try (NDManager m = manager.newSubManager()) {
      TeacherOutputs all =
          new LocalTeacher(teacher, TeacherSelection.all(tc.numLayers()), false)
              .outputs(batch, m, new StepTimer());
      BertInput in = BertInput.of(m, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
      ParameterStore ps = new ParameterStore(m, false);
      BertOutputs s = student.forward(ps, in, new Taps(true, true, false), false);
      NDArray labels = DistillationStep.labels(batch, m);
      Map<String, Double> reference = new LinkedHashMap<>();
      for (WireVariant v : variants) {
        TeacherOutput out = payloads.encode(all, v.selection(), v.dtype(), batch.length(),
            PaddingKeys.keyLength(batch.attentionMask()));
        bytes.merge(v.name(), (long) out.getSerializedSize(), Long::sum);
        TeacherOutputs decoded = payloads.decode(out, m);
        double loss =
            v.objective()
                .compute(ps, s, decoded, labels, Phase.JOINT, 0, new StepTimer())
                .totalValue();
        losses.get(v.name()).add(loss);
        if (v.dtype() == DType.DTYPE_FP32) {
          reference.put(v.method(), loss);
        }
      }
      for (WireVariant v : variants) {
        Double ref = reference.get(v.method());
        if (ref == null) {
          throw new IllegalStateException(
              "no fp32 variant of " + v.method() + " to compare the loss with");
        }
        double loss = losses.get(v.name()).get(losses.get(v.name()).size() - 1);
        double rel = Math.abs(loss - ref) / Math.max(Math.abs(ref), 1e-30);
        worst.merge(v.name(), rel, Math::max);
      }
      int numLabels = teacher.head().numLabels();
      denseBytes += payloads.dense(tc, batch.size(), maxLength, numLabels).getSerializedSize();
      examples += batch.size();
      lengths.add(batch.length());
    }
  }

  /** Returns the totals of every variant. */
  public List<Totals> totals() {
    return variants.stream()
        .map(
            v ->
                new Totals(
                    v, bytes.get(v.name()), List.copyOf(losses.get(v.name())), worst.get(v.name())))
        .toList();
  }

  /** Returns the dense reference's bytes over every batch. */
  public long denseBytes() {
    return denseBytes;
  }

  /** Returns the examples over every batch. */
  public long examples() {
    return examples;
  }

  /** Returns each batch's bucket length. */
  public List<Integer> lengths() {
    return List.copyOf(lengths);
  }
}
