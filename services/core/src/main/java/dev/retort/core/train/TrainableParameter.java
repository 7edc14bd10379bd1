package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Locale;

/**
 * A weight the optimiser updates, with its Hugging Face name and whether weight decay applies.
 *
 * @param name the dotted name, e.g. {@code bert.encoder.layer.0.output.dense.weight}, prefixed by
 *     the owner ({@code student.}, {@code projection.}, {@code graph.}) when several modules train
 *     together
 * @param parameter the DJL parameter holding the array
 * @param weightDecay whether decoupled weight decay applies (not for biases and LayerNorm)
 */
public record TrainableParameter(String name, Parameter parameter, boolean weightDecay) {

  /**
   * Wraps a parameter with the decay rule all three reference codebases use: no decay on names
   * containing {@code bias} or {@code LayerNorm.weight} (case-insensitively).
   *
   * @param name the dotted name
   * @param p the parameter
   * @return the trainable parameter
   */
  public static TrainableParameter of(String name, Parameter p) {
    String lower = name.toLowerCase(Locale.ROOT);
    boolean noDecay = lower.contains("bias") || lower.contains("layernorm.weight");
    return new TrainableParameter(name, p, !noDecay);
  }

  /** Returns the weight array. */
  public NDArray array() {
    return parameter.getArray();
  }
}
