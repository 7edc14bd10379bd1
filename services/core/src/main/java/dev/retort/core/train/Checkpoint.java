package dev.retort.core.train;

import dev.retort.core.tensor.StateDict;
import java.util.Map;

/**
 * Everything a resumable checkpoint holds. Tensors are grouped by prefix in one safetensors file
 * ({@code model.}, {@code modules.<name>.}, {@code optimizer.}, {@code method.}); the rest is JSON in
 * the file's metadata.
 *
 * @param state the run's position
 * @param model the trained model's weights (Hugging Face names)
 * @param modules extra trained modules (projections) by name
 * @param optimizer the optimiser's moments, with its step count in the metadata
 * @param method the method's state (BERT-EMD layer weights, HRKD graph)
 * @param info free-form string metadata: model config, labels, job name
 */
public record Checkpoint(
    TrainState state,
    StateDict model,
    Map<String, StateDict> modules,
    StateDict optimizer,
    StateDict method,
    Map<String, String> info) {

  /** Copies the maps. */
  public Checkpoint {
    modules = Map.copyOf(modules);
    info = Map.copyOf(info);
  }
}
