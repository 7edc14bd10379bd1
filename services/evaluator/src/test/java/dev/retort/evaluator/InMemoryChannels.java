package dev.retort.evaluator;

import dev.retort.evaluator.messaging.CheckpointConsumer;
import dev.retort.service.testing.InMemoryChannelsProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The channel-wiring profile of the evaluator service: its checkpoint channel in memory, a judge
 * that runs out of memory on one job ({@link OutOfMemoryJudge}), a liveness watch that counts
 * progress reports ({@link CountingWatch}), batches of {@value #BATCH_SIZE} examples, and retries
 * after transient failures 100 ms apart (doubled), not 1 s.
 */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Examples per forward pass. */
  public static final int BATCH_SIZE = 4;

  /** Creates the profile. */
  public InMemoryChannels() {
    super(CheckpointConsumer.CHANNEL, "retort.evaluator", ROOT);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>(super.getConfigOverrides());
    c.put("retort.evaluator.publishing.retry-backoff", "100ms");
    c.put("retort.evaluator.evaluation.batch-size", Integer.toString(BATCH_SIZE));
    return c;
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    Set<Class<?>> alternatives = new HashSet<>(super.getEnabledAlternatives());
    alternatives.add(OutOfMemoryJudge.class);
    alternatives.add(CountingWatch.class);
    return alternatives;
  }
}
