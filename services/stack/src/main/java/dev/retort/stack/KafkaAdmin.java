package dev.retort.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two admin-client operations every broker kind shares: wait until ready, create topics.
 *
 * <p>Readiness means {@code describeCluster} lists at least one node: the broker answers requests
 * and has registered with the controller, so topics can be created on it. Before the admin client
 * is used, a plain TCP connect checks that something listens; that keeps the admin client from
 * logging a connection warning every few milliseconds while the broker JVM is still starting.
 */
public final class KafkaAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAdmin.class);

  /** Pause between readiness probes. */
  private static final long POLL_MS = 100;

  private KafkaAdmin() {}

  /**
   * Waits until the broker at {@code bootstrapServers} answers {@code describeCluster} with a node.
   *
   * @param bootstrapServers the bootstrap address
   * @param timeout how long to wait
   * @param keepWaiting checked between probes; waiting stops early (not ready) when it is false,
   *     e.g. because the broker process has exited
   * @return whether the broker became ready, and the last error seen
   */
  public static Readiness awaitReady(
      String bootstrapServers, Duration timeout, BooleanSupplier keepWaiting) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastError = "";
    Optional<InetSocketAddress> first = firstAddress(bootstrapServers);
    while (first.isPresent() && !accepts(first.get())) {
      if (System.nanoTime() > deadline || !keepWaiting.getAsBoolean()) {
        return Readiness.failed("nothing listens on " + first.get());
      }
      sleep();
    }
    try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
      while (keepWaiting.getAsBoolean()) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          break;
        }
        try {
          if (!admin.describeCluster().nodes().get(Math.min(remainingMs, 3000),
              TimeUnit.MILLISECONDS).isEmpty()) {
            return Readiness.ok();
          }
          lastError = "describeCluster listed no broker yet";
        } catch (ExecutionException | TimeoutException e) {
          lastError = String.valueOf(e.getCause() != null ? e.getCause() : e);
          LOG.debug("Kafka at {} not ready yet: {}", bootstrapServers, lastError);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
        sleep();
      }
    }
    return Readiness.failed(lastError);
  }

  /**
   * Creates the topics that do not exist yet; existing topics are left as they are.
   *
   * @param bootstrapServers the bootstrap address
   * @param topics the topics to create
   * @param timeout how long the whole call may take
   * @return the names of the topics created by this call
   */
  public static List<String> createTopics(
      String bootstrapServers, List<TopicSpec> topics, Duration timeout) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : topics) {
      newTopics.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
          .configs(spec.configs()));
    }
    List<String> created = new ArrayList<>();
    try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
      for (Map.Entry<String, KafkaFuture<Void>> entry : results.entrySet()) {
        try {
          entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + " on " + bootstrapServers, e.getCause());
          }
          LOG.info("Topic {} exists already; left as it is", entry.getKey());
        } catch (TimeoutException e) {
          throw new IllegalStateException("creating topic " + entry.getKey() + " on "
              + bootstrapServers + " took longer than " + timeout, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating topics", e);
        }
      }
    }
    return created;
  }

  /** Admin settings for short-lived local admin clients. */
  private static Properties adminProperties(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Fail a single probe fast; the caller's loop retries until its own deadline.
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    // Reconnect and retry quickly while a local broker is starting (the defaults back off up to
    // 1 s, which is most of what a local broker needs to start).
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "retort-stack-admin");
    return props;
  }

  private static Optional<InetSocketAddress> firstAddress(String bootstrapServers) {
    String first = bootstrapServers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new InetSocketAddress(first.substring(0, colon),
          Integer.parseInt(first.substring(colon + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // let the admin client report the malformed address
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }
}
