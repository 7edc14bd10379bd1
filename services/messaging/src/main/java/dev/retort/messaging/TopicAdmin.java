package dev.retort.messaging;

import dev.retort.core.RetortException;
import dev.retort.stack.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that do not exist yet; existing topics are left as they are.
 *
 * <p>Services call it at start-up with {@link Topics#specs}, so a fresh cluster works without a
 * separate set-up step, and several services starting at once do not fail on each other's topics.
 * An existing topic with fewer partitions than its spec is logged as a warning, not changed:
 * adding partitions moves keys to other partitions, which is the operator's decision.
 */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  /** How long {@link #ensure(String, List)} waits for the broker. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private TopicAdmin() {}

  /**
   * Creates the missing topics of a plaintext cluster.
   *
   * @param bootstrap the bootstrap servers
   * @param specs the topics
   * @return the names of the topics this call created
   * @throws RetortException if the cluster does not answer in time or refuses a topic
   */
  public static List<String> ensure(String bootstrap, List<TopicSpec> specs) {
    return ensure(bootstrap, specs, Map.of(), DEFAULT_TIMEOUT);
  }

  /**
   * Creates the missing topics.
   *
   * @param bootstrap the bootstrap servers
   * @param specs the topics
   * @param clientSettings admin client settings (security: see {@link KafkaSecurity})
   * @param timeout how long to wait for each step
   * @return the names of the topics this call created
   * @throws RetortException if the cluster does not answer in time or refuses a topic
   */
  public static List<String> ensure(String bootstrap, List<TopicSpec> specs,
      Map<String, String> clientSettings, Duration timeout) {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap, clientSettings))) {
      Set<String> existing = await(admin.listTopics().names(), bootstrap, "list topics", timeout);
      List<NewTopic> missing = new ArrayList<>();
      List<String> present = new ArrayList<>();
      for (TopicSpec spec : specs) {
        if (existing.contains(spec.name())) {
          present.add(spec.name());
        } else {
          missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
              .configs(spec.configs()));
        }
      }
      warnAboutFewerPartitions(admin, specs, present, bootstrap, timeout);
      List<String> created = new ArrayList<>();
      if (missing.isEmpty()) {
        return created;
      }
      Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
      for (Map.Entry<String, KafkaFuture<Void>> entry : results.entrySet()) {
        try {
          await(entry.getValue(), bootstrap, "create topic " + entry.getKey(), timeout);
          created.add(entry.getKey());
        } catch (RetortException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          LOG.debug("Topic {} was created by someone else meanwhile", entry.getKey());
        }
      }
      LOG.info("Created topics {} on {}", created, bootstrap);
      return created;
    }
  }

  private static void warnAboutFewerPartitions(Admin admin, List<TopicSpec> specs,
      List<String> present, String bootstrap, Duration timeout) {
    if (present.isEmpty()) {
      return;
    }
    Map<String, TopicDescription> descriptions = await(
        admin.describeTopics(present).allTopicNames(), bootstrap, "describe topics", timeout);
    for (TopicSpec spec : specs) {
      TopicDescription d = descriptions.get(spec.name());
      if (d != null && d.partitions().size() < spec.partitions()) {
        LOG.warn("Topic {} has {} partitions, retort expects {}: fewer replicas of a service can "
            + "work in parallel", spec.name(), d.partitions().size(), spec.partitions());
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, String bootstrap, String what,
      Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new RetortException("Kafka at " + bootstrap,
          "cannot " + what + ": " + e.getCause().getMessage(),
          "Check that the cluster is reachable and that retort's principal may create topics",
          e.getCause());
    } catch (TimeoutException e) {
      throw new RetortException("Kafka at " + bootstrap,
          "no answer to '" + what + "' within " + timeout.toSeconds() + " s",
          "Check the bootstrap address and the security settings", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to " + what, e);
    }
  }
}
