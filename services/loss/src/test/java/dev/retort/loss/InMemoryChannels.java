package dev.retort.loss;

import dev.retort.loss.messaging.LossRequestConsumer;
import dev.retort.service.testing.InMemoryChannelsProfile;
import java.nio.file.Path;

/** The channel-wiring profile of the loss service: its request channel in memory. */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Creates the profile. */
  public InMemoryChannels() {
    super(LossRequestConsumer.CHANNEL, "retort.loss", ROOT);
  }
}
