package dev.retort.teacher;

import dev.retort.teacher.messaging.TeacherRequestConsumer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The channel-wiring profile: the request channel on SmallRye's in-memory connector, the
 * service's own Kafka clients replaced by {@link FakeKafkaClients}, no broker anywhere, and two
 * workers.
 */
public class InMemoryChannels implements QuarkusTestProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT =
      Path.of("target", "test-artifacts", "in-memory-" + UUID.randomUUID()).toAbsolutePath();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>();
    c.put("mp.messaging.incoming." + TeacherRequestConsumer.CHANNEL + ".connector",
        "smallrye-in-memory");
    c.put("kafka.bootstrap.servers", "127.0.0.1:9");
    c.put("retort.teacher.topics.create-on-start", "false");
    c.put("retort.artifacts.root", ROOT.toString());
    // Two workers, so that these tests meet requests computed at the same time.
    c.put("retort.teacher.workers", "2");
    return c;
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FakeKafkaClients.class);
  }
}
