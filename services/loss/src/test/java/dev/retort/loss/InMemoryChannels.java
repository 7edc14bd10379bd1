package dev.retort.loss;

import dev.retort.loss.messaging.LossRequestConsumer;
import dev.retort.service.testing.InMemoryChannelsProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The channel-wiring profile of the loss service: its request channel in memory, and retries after
 * transient failures 100 ms apart (doubled), not 1 s.
 */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Creates the profile. */
  public InMemoryChannels() {
    super(LossRequestConsumer.CHANNEL, "retort.loss", ROOT);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>(super.getConfigOverrides());
    c.put("retort.loss.publishing.retry-backoff", "100ms");
    return c;
  }
}
