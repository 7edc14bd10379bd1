package dev.retort.service.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The channel-wiring test profile: the service's request channel on SmallRye's in-memory
 * connector, its own Kafka clients replaced by {@link FakeKafkaClients}, no broker anywhere, no
 * topic creation, and an artifact root of its own.
 *
 * <p>Each service declares an {@code InMemoryChannels} profile that extends this class with a
 * no-arguments constructor (Quarkus creates profiles with it) naming its channel, its settings
 * and its artifact root.
 */
public abstract class InMemoryChannelsProfile implements QuarkusTestProfile {
  private final String channel;
  private final String configPrefix;
  private final Path root;

  /**
   * Creates the profile.
   *
   * @param channel the incoming channel moved to the in-memory connector
   * @param configPrefix the service's settings, e.g. {@code retort.loss}
   * @param root the artifact root ({@link #newRoot})
   */
  protected InMemoryChannelsProfile(String channel, String configPrefix, Path root) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.configPrefix = Objects.requireNonNull(configPrefix, "configPrefix");
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Returns a fresh artifact root under {@code target/test-artifacts}. */
  protected static Path newRoot() {
    return Path.of("target", "test-artifacts", "in-memory-" + UUID.randomUUID()).toAbsolutePath();
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>();
    c.put("mp.messaging.incoming." + channel + ".connector", "smallrye-in-memory");
    c.put("kafka.bootstrap.servers", "127.0.0.1:9");
    c.put(configPrefix + ".topics.create-on-start", "false");
    c.put("retort.artifacts.root", root.toString());
    return c;
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FakeKafkaClients.class);
  }
}
