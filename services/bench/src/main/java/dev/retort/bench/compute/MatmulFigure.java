package dev.retort.bench.compute;

import dev.retort.bench.BenchContext;
import dev.retort.bench.BenchSettings.MatmulShape;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import java.util.Locale;

/** The reference every efficiency is divided by, printed as its own line. */
public final class MatmulFigure implements Figure {

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.MATMUL;
  }

  /**
   * Returns the run's matmul reference, measuring it the first time.
   *
   * @param ctx the run
   * @return the reference
   * @throws Exception if the engine fails
   */
  public static MatmulReference.Result reference(BenchContext ctx) throws Exception {
    return ctx.shared(
        "matmul",
        () -> {
          MatmulShape s = ctx.settings().matmul();
          ctx.progress(
              "matmul reference: [%d, %d] x [%d, %d] fp32, %d timed after %d warm-up",
              s.n(), s.n(), s.n(), s.n(), s.repetitions(), s.warmup());
          return MatmulReference.measure(s.n(), s.warmup(), s.repetitions());
        });
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    MatmulReference.Result r = reference(ctx);
    String text =
        String.format(
            Locale.ROOT,
            "%s (%d³, median of %d)",
            FlopCount.gflops(r.flopsPerSecond()),
            r.n(),
            r.seconds().length);
    return FigureResult.info(id(), text, r.toMap());
  }
}
