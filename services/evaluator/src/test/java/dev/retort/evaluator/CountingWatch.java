package dev.retort.evaluator;

import dev.retort.service.health.HandlerWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.atomic.AtomicInteger;

/** The liveness watch, counting the progress reports it gets. */
@Alternative
@ApplicationScoped
public class CountingWatch extends HandlerWatch {
  private final AtomicInteger beats = new AtomicInteger();

  /** Returns how many progress reports came so far. */
  public int beats() {
    return beats.get();
  }

  @Override
  public void beat() {
    beats.incrementAndGet();
    super.beat();
  }
}
