package dev.retort.bench.compute;

import ai.djl.engine.Engine;
import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchSettings.StepShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison with what users run today: examples/s of retort's BERT-EMD step (the step
 * efficiency figure's steps) divided by examples/s of the same step written with PyTorch and
 * Hugging Face {@code transformers} ({@link TorchScript}), on the same device with the same thread
 * count, batch, length and step counts, in the same run. Stated, without a target.
 *
 * <p>Needs {@code --python} (a Python with torch and transformers). The script has TinyBERT-4L-312
 * and BERT-base's shapes built in, so {@code --quick}, whose step is the tiny preset's, skips it.
 */
public final class TorchComparisonFigure implements Figure {
  private static final long TIMEOUT_MINUTES = 30;

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.TORCH_COMPARISON;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    if (ctx.settings().python() == null) {
      return FigureResult.skipped(id(), "no Python given: --python PATH (or RETORT_PYTHON), with torch and transformers");
    }
    StepShape s = ctx.settings().step();
    if (!"tinybert-4l-312".equals(s.studentPreset()) || !"bert-base".equals(s.teacherPreset())) {
      return FigureResult.skipped(id(), "the script has TinyBERT-4L-312 and BERT-base built in; run without --quick");
    }
    StepFigures.Steps steps = StepFigures.steps(ctx);
    double retortStep = Stats.median(steps.seconds());
    double retort = s.batch() / retortStep;
    boolean gpu = Engine.getInstance().defaultDevice().isGpu();
    String device = gpu ? "cuda" : "cpu";
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    ctx.progress("PyTorch comparison: %s, %s, %d thread(s), B %d, L %d, %d warm-up + %d steps",
        ctx.settings().python(), device, threads, s.batch(), s.length(), s.warmup(), s.repetitions());
    TorchScript.Outcome torch =
        new TorchScript(ctx.settings().python(), ctx.settings().workDir())
            .run(device, threads, s.batch(), s.length(), s.warmup(), s.repetitions(), ctx.settings().seed(), TIMEOUT_MINUTES);
    double ratio = retort / torch.examplesPerSecond();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("device", device);
    d.put("threads", threads);
    d.put("batch", s.batch());
    d.put("length", s.length());
    d.put("retort_median_step_seconds", retortStep);
    d.put("retort_examples_per_second", retort);
    d.put("torch_examples_per_second", torch.examplesPerSecond());
    d.put("torch_summary", torch.summary());
    d.put("torch_log", torch.log().toString());
    d.put("ratio_formula", "retort examples/s (median step) / PyTorch + transformers examples/s (median step)");
    d.put("ratio", ratio);
    String text =
        String.format(
            Locale.ROOT,
            "%.2f (retort %.1f / PyTorch %s + transformers %.1f examples/s, %s, %d threads)",
            ratio,
            retort,
            torch.summary().path("torch").asText("?"),
            torch.examplesPerSecond(),
            device,
            threads);
    return FigureResult.info(id(), text, d);
  }
}
