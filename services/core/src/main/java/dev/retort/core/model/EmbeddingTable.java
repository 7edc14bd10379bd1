package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/** A lookup table named like PyTorch's {@code nn.Embedding}: {@code weight} [count, width]. */
public final class EmbeddingTable extends HfModule {
  private final Parameter weight;

  /**
   * Creates a table with entries drawn from N(0, std²).
   *
   * @param count number of rows (vocabulary, positions or segments)
   * @param width embedding width
   * @param std standard deviation of the initial entries
   */
  public EmbeddingTable(int count, int width, float std) {
    this.weight = parameter("weight", new Shape(count, width), new NormalInitializer(std));
  }

  /** Returns the table parameter, [count, width]. */
  public Parameter weight() {
    return weight;
  }

  /**
   * Looks up rows.
   *
   * @param ps the parameter store of this pass
   * @param ids integer ids, [...]
   * @param training whether this is a training pass
   * @return the rows, [..., width]
   */
  public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
    return Embedding.embedding(ids, value(ps, weight, training), SparseFormat.DENSE)
        .singletonOrThrow(); // [..., width]
  }
}
