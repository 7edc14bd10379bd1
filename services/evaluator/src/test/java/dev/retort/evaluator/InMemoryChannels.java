package dev.retort.evaluator;

import dev.retort.evaluator.messaging.CheckpointConsumer;
import dev.retort.service.testing.InMemoryChannelsProfile;
import java.nio.file.Path;

/** The channel-wiring profile of the evaluator service: its checkpoint channel in memory. */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Creates the profile. */
  public InMemoryChannels() {
    super(CheckpointConsumer.CHANNEL, "retort.evaluator", ROOT);
  }
}
