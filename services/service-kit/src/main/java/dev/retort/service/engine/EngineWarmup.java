package dev.retort.service.engine;

import dev.retort.core.engine.Torch;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PyTorch engine at start-up on a background thread (extracting libtorch takes seconds
 * the first time), so the first request does not pay for it and readiness can report it.
 */
@ApplicationScoped
public class EngineWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(EngineWarmup.class);

  private volatile boolean loaded;
  private volatile String error;

  void onStart(@Observes StartupEvent event) {
    Thread t = new Thread(this::load, "retort-engine-warmup");
    t.setDaemon(true);
    t.start();
  }

  private void load() {
    try {
      Torch.noGradOnThisThread();
      loaded = true;
      LOG.info("PyTorch engine loaded");
    } catch (RuntimeException | LinkageError e) {
      error = e.toString();
      LOG.error("The PyTorch engine does not load", e);
    }
  }

  /** Returns whether the engine is loaded. */
  public boolean loaded() {
    return loaded;
  }

  /** Returns why the engine failed to load, or null. */
  public String error() {
    return error;
  }
}
