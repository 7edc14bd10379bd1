package dev.retort.evaluator;

import dev.retort.evaluator.messaging.CheckpointConsumer;
import dev.retort.service.testing.InMemoryChannelsProfile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The channel-wiring profile of the evaluator service: its checkpoint channel in memory, and a
 * judge that runs out of memory on one job ({@link OutOfMemoryJudge}).
 */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Creates the profile. */
  public InMemoryChannels() {
    super(CheckpointConsumer.CHANNEL, "retort.evaluator", ROOT);
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    Set<Class<?>> alternatives = new HashSet<>(super.getEnabledAlternatives());
    alternatives.add(OutOfMemoryJudge.class);
    return alternatives;
  }
}
