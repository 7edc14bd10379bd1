package dev.retort.teacher.inference;

import ai.djl.ndarray.NDManager;
import dev.retort.core.run.LoadedModel;

/**
 * A loaded teacher and the manager its weights live in; closing it frees the weights.
 *
 * @param key what was loaded
 * @param model the model, parameters frozen
 * @param manager the weights' manager; per-request arrays go into its sub-managers
 */
public record CachedTeacher(ModelKey key, LoadedModel model, NDManager manager)
    implements AutoCloseable {

  /** Frees the weights. */
  @Override
  public void close() {
    manager.close();
  }
}
