package dev.retort.teacher;

import dev.retort.service.testing.InMemoryChannelsProfile;
import dev.retort.teacher.messaging.TeacherRequestConsumer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The channel-wiring profile of the teacher service: its request channel in memory, with the
 * teacher's own {@link FakeKafkaClients} and two workers.
 */
public class InMemoryChannels extends InMemoryChannelsProfile {
  /** The artifact root of this profile. */
  public static final Path ROOT = newRoot();

  /** Creates the profile. */
  public InMemoryChannels() {
    super(TeacherRequestConsumer.CHANNEL, "retort.teacher", ROOT);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> c = new HashMap<>(super.getConfigOverrides());
    // Two workers, so that these tests meet requests computed at the same time.
    c.put("retort.teacher.workers", "2");
    // Retries after transient failures 100 ms apart (doubled), not 1 s.
    c.put("retort.teacher.publishing.retry-backoff", "100ms");
    return c;
  }

  /** The teacher's fake: it also reads an empty index and can fail an output's sends. */
  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FakeKafkaClients.class);
  }
}
