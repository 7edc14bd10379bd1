package dev.retort.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Computes {@code server.properties} of a one-node KRaft broker (combined mode) for local use.
 *
 * <p>One node is both broker and the only controller voter. Every value below carries the reason it
 * differs from Kafka's default; {@link KafkaSettings#extraProperties()} override any of them.
 */
public final class BrokerProperties {
  /** The node id; any fixed value works for a one-node cluster. */
  static final int NODE_ID = 1;

  /** Kafka's own default of {@code fetch.max.bytes}, 55 MiB. */
  private static final int KAFKA_FETCH_MAX_BYTES = 55 * 1024 * 1024;

  /** Kafka's own default of {@code socket.request.max.bytes}, 100 MiB. */
  private static final int KAFKA_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;

  private BrokerProperties() {}

  /**
   * Returns the broker properties, in a stable order.
   *
   * @param settings the caller's settings
   * @param ports the ports to bind
   * @return property names and values
   */
  public static Map<String, String> of(KafkaSettings settings, BrokerPorts ports) {
    String host = FreePorts.HOST;
    Map<String, String> p = new LinkedHashMap<>();
    // KRaft combined mode: this one JVM is the broker and the whole controller quorum.
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // Static quorum of one voter: no dynamic-quorum bootstrap needed, format with -t only.
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + ports.controller());
    // Loopback only: a local stack must not be reachable from the network, and several builds
    // on one machine each get their own free ports.
    p.put("listeners",
        "PLAINTEXT://" + host + ":" + ports.client() + ",CONTROLLER://" + host + ":"
            + ports.controller());
    // Clients must be told the address they can reach, not the host name.
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + ports.client());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    // Data under the given work directory, so restart() finds it and tests clean it up.
    p.put("log.dirs", settings.dataDir().toString());
    // One node: every internal topic can only have one replica (the defaults of 3 would make
    // the first consumer group or transaction wait forever for replicas that never come).
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // A handful of local consumer groups: 50 partitions per internal topic only cost start-up
    // time (the first group creates them all) and file handles.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    // The first rebalance of a new group waits 3 s by default for more members to join; a local
    // stack and its tests start their consumers together and should not wait.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Record batches up to the configured size; replicas (none here, but the broker checks the
    // pair) must be able to fetch what producers may write.
    p.put("message.max.bytes", Integer.toString(settings.messageMaxBytes()));
    p.put("replica.fetch.max.bytes", Integer.toString(settings.messageMaxBytes()));
    // A fetch and a request must hold at least one largest batch; keep Kafka's defaults otherwise.
    p.put("fetch.max.bytes",
        Integer.toString(Math.max(KAFKA_FETCH_MAX_BYTES, settings.messageMaxBytes())));
    p.put("socket.request.max.bytes",
        Integer.toString(Math.max(KAFKA_SOCKET_REQUEST_MAX_BYTES, settings.messageMaxBytes() * 2)));
    p.put("num.partitions", Integer.toString(settings.numPartitions()));
    // Off by default: a typo in a topic name must fail, not silently create a new topic.
    p.put("auto.create.topics.enable", Boolean.toString(settings.autoCreateTopics()));
    // Compacted topics of a local stack are small; the default 128 MiB dedupe buffer would take
    // a quarter of the broker's 512 MiB heap.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    // After kill -9 the restarted node finds its old registration still live and cannot register
    // again until that session expires: 9 s by default, 3 s here (crash tests restart a lot). A
    // heartbeat every 500 ms keeps six beats within one session, so a busy machine does not fence
    // a healthy broker.
    p.put("broker.session.timeout.ms", "3000");
    p.put("broker.heartbeat.interval.ms", "500");
    // Two cores on the target machines: Kafka's 3 network and 8 I/O threads only add contention.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.putAll(settings.extraProperties());
    return p;
  }

  /**
   * Returns the properties as a {@link Properties} object, for the in-process broker.
   *
   * @param properties the map from {@link #of}
   * @return a copy as {@link Properties}
   */
  public static Properties toProperties(Map<String, String> properties) {
    Properties props = new Properties();
    props.putAll(properties);
    return props;
  }

  /**
   * Writes the properties as a {@code server.properties} file, in the map's order.
   *
   * @param properties the map from {@link #of}
   * @param file the file to write
   */
  public static void write(Map<String, String> properties, Path file) {
    StringBuilder sb = new StringBuilder("# Written by retort-stack; rewritten at every start.\n");
    properties.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sb.toString(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Escapes a value for {@link Properties#load(java.io.InputStream)}, which Kafka uses and which
   * reads ISO-8859-1: backslashes, a leading space and every non-ASCII character (as a unicode
   * escape).
   */
  static String escape(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c == ' ' && i == 0) {
        sb.append("\\ ");
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
