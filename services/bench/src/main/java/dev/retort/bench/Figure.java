package dev.retort.bench;

/** One line of the bench: measures something and compares it with its target. */
public interface Figure {

  /** Returns which figure this is. */
  FigureId id();

  /**
   * Measures the figure.
   *
   * @param context the run's settings, shared measurements and progress output
   * @return the result; {@link FigureResult#skipped} when it cannot run here
   * @throws Exception if the measurement breaks (the suite reports the figure as failed)
   */
  FigureResult measure(BenchContext context) throws Exception;
}
