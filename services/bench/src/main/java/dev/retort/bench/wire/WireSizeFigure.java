package dev.retort.bench.wire;

import ai.djl.ndarray.NDManager;
import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.BenchSettings.WireShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import dev.retort.bench.Target;
import dev.retort.core.data.BatchOrder;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.model.HfModule;
import dev.retort.core.run.EncodedTask;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.Methods;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wire size: bytes on Kafka per example of teacher output, for the platform's payload (fp16 or
 * bf16, trimmed to the batch's length bucket, TinyBERT's uniform layer selection), divided by dense
 * fp32 at the job's padded maximum length with every layer; BERT-EMD's every-layer selection is
 * reported separately. Real sample-data batches (the job pipeline: tokenizer, length buckets, fixed
 * batches). "At the same loss": the distillation loss computed with the decoded half- precision
 * outputs must be within {@link #LOSS_TOLERANCE} (relative) of the fp32 loss.
 *
 * <p>Bytes are the serialized {@code TeacherOutput} before the producer's lz4 compression, so the
 * bytes on the broker are at most these.
 */
public final class WireSizeFigure implements Figure {
  /** The target. */
  public static final Target TARGET = Target.atMost(0.3);

  /** "The same loss": the largest relative loss difference accepted. */
  public static final double LOSS_TOLERANCE = 0.01;

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.WIRE_SIZE;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    WireShape s = ctx.settings().wire();
    Path data = ctx.settings().workDir().resolve("sample-data");
    ConfigValues job =
        BenchJobs.parse(job(s, data, ctx.settings().seed()), "retort bench (wire size)");
    Torch.noGradOnThisThread();
    ctx.progress(
        "wire size: %d sample-data batches of %d, %s-shaped teacher, max length %d",
        s.batches(), s.batch(), s.teacherPreset(), s.maxLength());
    TaskData task = new TaskResolver(PathPolicy.unrestricted()).resolve(job);
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelFactory factory = new ModelFactory(PathPolicy.unrestricted(), LoadOptions.defaults());
      List<String> single = List.of("default");
      LoadedModel teacher = factory.teacher(job, task, single, manager);
      LoadedModel student = factory.student(job, task, teacher, single, manager);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), single);
      EncodedDataset train = enc.encode(task.train());
      Batcher batcher =
          Batcher.builder()
              .setData(train)
              .setBatchSize(s.batch())
              .optBuckets(enc.buckets())
              .optOrder(BatchOrder.FIXED_BATCHES)
              .optSeed(ctx.settings().seed())
              .optDropLast(true)
              .build();
      List<WireVariant> variants = new ArrayList<>();
      for (String method : List.of("tinybert", "bert-emd")) {
        DistillationObjective o =
            Methods.objective(
                BenchJobs.method(method, job.str("teacher.model")),
                student.config(),
                teacher.config(),
                false,
                Methods.localTransport());
        Torch.seed(ctx.settings().seed() + 5);
        for (HfModule m : o.modules().values()) {
          m.initializeParameters(manager);
        }
        for (DType d : List.of(DType.DTYPE_FP32, DType.DTYPE_FP16, DType.DTYPE_BF16)) {
          variants.add(new WireVariant(method, o.teacherSelection(), d, o));
        }
      }
      WireMeasurement w =
          new WireMeasurement(new TeacherPayloads(TensorCodec.defaults()), variants);
      int count = Math.min(s.batches(), batcher.batchesPerEpoch());
      for (int i = 0; i < count; i++) {
        w.add(batcher.batch(0, i), teacher.model(), student.model(), s.maxLength(), manager);
      }
      return result(w, s, teacher);
    }
  }

  private FigureResult result(WireMeasurement w, WireShape s, LoadedModel teacher) {
    double dense = (double) w.denseBytes() / w.examples();
    Map<String, Object> variants = new LinkedHashMap<>();
    Map<String, Double> ratios = new LinkedHashMap<>();
    Map<String, Double> deltas = new LinkedHashMap<>();
    for (WireMeasurement.Totals t : w.totals()) {
      double perExample = (double) t.bytes() / w.examples();
      Map<String, Object> v = new LinkedHashMap<>();
      v.put(
          "selection",
          Map.of(
              "hidden",
              t.variant().selection().hiddenLayers(),
              "scores",
              t.variant().selection().scoreLayers(),
              "logits",
              t.variant().selection().logits()));
      v.put("bytes_per_example", perExample);
      v.put("ratio", perExample / dense);
      v.put("losses", t.losses());
      v.put("max_relative_loss_difference", t.maxRelativeLossDifference());
      variants.put(t.variant().name(), v);
      ratios.put(t.variant().name(), perExample / dense);
      deltas.put(t.variant().name(), t.maxRelativeLossDifference());
    }
    double ratio = ratios.get("tinybert/fp16");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put(
        "teacher",
        teacher.config().numLayers()
            + " layers, H "
            + teacher.config().hiddenSize()
            + ", A "
            + teacher.config().numHeads()
            + " ("
            + s.teacherPreset()
            + " shape, random weights)");
    d.put("student", s.studentPreset());
    d.put("batches", w.lengths().size());
    d.put("batch_size", s.batch());
    d.put("bucket_lengths", w.lengths());
    d.put("max_length", s.maxLength());
    d.put("dense_fp32_bytes_per_example", dense);
    d.put("variants", variants);
    d.put("headline", "tinybert/fp16: uniform layer selection, fp16, bucket-trimmed");
    d.put("loss_tolerance", LOSS_TOLERANCE);
    d.put("bytes", "serialized TeacherOutput per example, before the producer's lz4 compression");
    String text =
        String.format(
            Locale.ROOT,
            "%.3f (%.0f of %.0f B/example; bf16 %.3f; every layer fp16 %.3f, bf16 %.3f; Δloss fp16"
                + " %.1e, bf16 %.1e)",
            ratio,
            ratio * dense,
            dense,
            ratios.get("tinybert/bf16"),
            ratios.get("bert-emd/fp16"),
            ratios.get("bert-emd/bf16"),
            Math.max(deltas.get("tinybert/fp16"), deltas.get("bert-emd/fp16")),
            Math.max(deltas.get("tinybert/bf16"), deltas.get("bert-emd/bf16")));
    FigureResult r = FigureResult.measured(id(), ratio, text, TARGET, d);
    double worst = Math.max(deltas.get("tinybert/fp16"), deltas.get("tinybert/bf16"));
    if (!(worst <= LOSS_TOLERANCE)) {
      r =
          r.withUnmet(
              String.format(
                  Locale.ROOT,
                  "loss differs by %.2g%% > %.0f%%",
                  100 * worst,
                  100 * LOSS_TOLERANCE));
    }
    return r;
  }

  static String job(WireShape s, Path data, long seed) {
    return String.join(
        "\n",
        "name: bench-wire",
        "seed: " + seed,
        "task:",
        "  format: sample",
        "  dir: '" + data + "'",
        "  sample-size: " + s.sampleSize(),
        "  max-length: " + s.maxLength(),
        // The figure measures real-length trimming: a BERT-EMD job pads to max-length by default.
        "  buckets: [16, 32, 64]",
        "teacher:",
        "  model: 'preset:" + s.teacherPreset() + "'",
        "student:",
        "  preset: " + s.studentPreset(),
        "  init: random",
        "distill:",
        "  method: bert-emd",
        "");
  }
}
