package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.EfficientBertArch;

/**
 * Reports a candidate's parameter count as its architecture gives it (EfficientBERT's {@code
 * param_list} convention: embeddings and encoder, no pooler, no classifier), whatever the wrapped
 * evaluator counted. The platform's job summary counts the whole trained model, head included, so
 * without this a search dispatched to the platform would report other numbers than the same search
 * in process.
 */
final class ArchParameterCount implements CandidateEvaluator {
  private final CandidateEvaluator inner;
  private final EfficientBertArch dims;

  /**
   * Wraps an evaluator.
   *
   * @param inner the evaluator that trains and scores
   * @param dims the search's dimensions; a candidate's architecture is them with its expressions
   */
  ArchParameterCount(CandidateEvaluator inner, EfficientBertArch dims) {
    this.inner = inner;
    this.dims = dims;
  }

  /** {@inheritDoc} */
  @Override
  public Fitness evaluate(CandidateSpec spec) {
    Fitness f = inner.evaluate(spec);
    long parameters = dims.withLayerExpressions(spec.layers()).paramCount();
    return f.failed()
        ? Fitness.failed(f.error(), parameters, f.seconds())
        : Fitness.ok(f.value(), parameters, f.seconds());
  }

  /** Returns the wrapped evaluator's description: the count does not change the fitness. */
  @Override
  public String describe() {
    return inner.describe();
  }
}
