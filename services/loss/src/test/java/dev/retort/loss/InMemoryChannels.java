package dev.retort.loss;

import dev.retort.loss.messaging.LossRequestConsumer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The channel-wiring profile: the request channel on SmallRye's in-memory connector, the
 * service's own Kafka clients replaced by {@link FakeKafkaClients}, no broker anywhere.
 */
public class InMemoryChannels implements QuarkusTestProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT =
      Path.of("target", "test-artifacts", "in-memory-" + UUID.randomUUID()).toAbsolutePath();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "mp.messaging.incoming." + LossRequestConsumer.CHANNEL + ".connector",
        "smallrye-in-memory",
        "kafka.bootstrap.servers", "127.0.0.1:9",
        "retort.loss.topics.create-on-start", "false",
        "retort.artifacts.root", ROOT.toString());
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FakeKafkaClients.class);
  }
}
