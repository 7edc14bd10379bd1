package dev.retort.messaging;

import dev.retort.core.RetortException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Explicit Kafka client settings for retort's producers, consumers and admin clients.
 *
 * <p>Every setting that differs from Kafka's default, or that retort relies on, is set here with
 * the reason. Keys are strings (records are keyed by job id or {@code <pass>/<batch>}); values are
 * bytes, because values are protobuf (or JSON) and large ones travel in chunks ({@link
 * ChunkedProducer}), which work on bytes.
 *
 * <p>{@code overrides} are applied last, as given. They are how a deployment passes {@code
 * security.protocol}, {@code ssl.*} and {@code sasl.*} (see {@link KafkaSecurity#extract} to take
 * just those from a larger settings map) or tunes a value. Overrides that would break what retort
 * relies on (idempotence, {@code acks=all}, manual commits, the serializers) are refused with a
 * {@link RetortException}. Log the result with {@link Redaction#redact}, never as it is.
 */
public final class ClientConfigs {
  /**
   * Default {@code max.request.size} of producers: 1 MiB, equal to the default {@code
   * max.message.bytes} of retort's topics ({@link TopicSettings#DEFAULT_MAX_MESSAGE_BYTES}).
   */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

  private ClientConfigs() {}

  /**
   * Returns the settings of a producer of string keys and byte-array values.
   *
   * @param bootstrap the bootstrap servers
   * @param clientId the client id (shows in broker logs and metrics), e.g. {@code teacher-0}
   * @param overrides settings applied last (security, tuning); may be empty
   * @return the properties
   */
  public static Properties producer(String bootstrap, String clientId,
      Map<String, String> overrides) {
    Properties p = common(bootstrap, clientId);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // A retried send is written once: without it a retry after a lost acknowledgement duplicates
    // the record (and, for chunks, inserts a chunk twice).
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // A send succeeds only when every in-sync replica has the record, so an acknowledged job
    // request or teacher output survives the loss of the leader.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // At most 5 batches in flight per broker: the largest number for which the idempotent
    // producer keeps the order of records within a partition, which chunk order relies on.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    // lz4: cheap on CPU and good on events and JSON. Tensor bytes barely shrink, so the teacher's
    // output producer turns it off (OutputPublisher). lz4-java ships a native codec and falls back
    // to pure Java where it cannot load.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Wait up to 5 ms to fill a batch: small records (events, loss requests) travel together
    // without adding noticeable latency to a training step.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // 32 KiB batches of small records; a chunk larger than this always gets a batch of its own.
    // Must stay below every topic's max.message.bytes.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(32 * 1024));
    // The largest record the producer sends, equal to the topics' max.message.bytes; chunks are
    // cut below it with room for headers (Chunker.forMaxRequestSize).
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(DEFAULT_MAX_REQUEST_BYTES));
    // Give up on a send after 2 minutes (the default): long enough to ride out a leader election,
    // short enough that a job fails instead of hanging when the cluster is gone.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    apply(p, overrides, "producer");
    requireValue(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        "chunks and job requests must not be duplicated by retries");
    requireValue(p, ProducerConfig.ACKS_CONFIG, "all",
        "acknowledged records must survive the loss of a broker");
    String inFlight = p.getProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION).trim();
    if (!inFlight.matches("[1-5]")) {
      throw refused(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight,
          "the idempotent producer keeps records in order only with 1 to 5 requests in flight");
    }
    requireValue(p, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        "retort's producers send string keys");
    requireValue(p, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName(), "retort's producers send byte-array values");
    return p;
  }

  /**
   * Returns the settings of a consumer in a group, of string keys and byte-array values.
   *
   * @param bootstrap the bootstrap servers
   * @param groupId the consumer group, e.g. {@code retort-teacher}
   * @param clientId the client id, e.g. {@code teacher-0}
   * @param overrides settings applied last (security, tuning); may be empty
   * @return the properties
   */
  public static Properties consumer(String bootstrap, String groupId, String clientId,
      Map<String, String> overrides) {
    Properties p = consumerBase(bootstrap, clientId);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
    // A new group starts from the oldest record: a job submitted before the services started is
    // still run, and a teacher request sent during a restart is still answered.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // At most 100 records per poll: the loop returns to poll() often enough to stay in the group,
    // and a crash re-reads little.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    // 10 minutes between polls before the group gives the partitions away: a CPU training step
    // or a teacher forward of a large batch can take minutes (Kafka's default is 5).
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "600000");
    // A consumer whose process died is noticed after 30 s without heartbeats, and its partitions
    // move to a live replica; heartbeats run on their own thread every 3 s (a tenth).
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    // Cooperative, sticky rebalancing: when a replica joins or leaves (autoscaling on lag), only the
    // partitions that move are revoked, and the rest stay where they are. With Kafka's default
    // (range, eager) every member gave up every partition on each rebalance, so every trainer
    // suspended the job it was running. Members of an older retort, whose default list also names
    // this assignor, agree on it in the same group.
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    apply(p, overrides, "consumer");
    requireCommon(p);
    return p;
  }

  /**
   * Returns the settings of a consumer without a group, for {@code assign} and {@code seek}.
   *
   * <p>Used to replay records at known offsets ({@link ChunkFetcher}): it never commits, and
   * {@code auto.offset.reset=none} makes an offset that retention has deleted an error instead of
   * a silent jump to another record.
   *
   * @param bootstrap the bootstrap servers
   * @param clientId the client id
   * @param overrides settings applied last (security, tuning); may be empty
   * @return the properties
   */
  public static Properties assignedConsumer(String bootstrap, String clientId,
      Map<String, String> overrides) {
    Properties p = consumerBase(bootstrap, clientId);
    // Offsets come from the teacher index; one that is gone must be reported, not replaced.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    // Replays read whole chunked messages: 16 MiB per partition per fetch instead of 1 MiB
    // saves round trips on messages of tens of chunks.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
    apply(p, overrides, "consumer");
    requireCommon(p);
    return p;
  }

  /**
   * Returns the settings of an admin client.
   *
   * @param bootstrap the bootstrap servers
   * @param overrides settings applied last (security); may be empty
   * @return the properties
   */
  public static Properties admin(String bootstrap, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrap));
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "retort-admin");
    // Topic creation is a start-up step: fail after 60 s rather than block a service forever.
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    apply(p, overrides, "admin");
    return p;
  }

  private static Properties consumerBase(String bootstrap, String clientId) {
    Properties p = common(bootstrap, clientId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // Offsets are committed by the service after a record is processed (at-least-once); with
    // auto-commit a crash after the commit and before the work loses the record.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // No retort producer is transactional today; read_committed costs nothing then, and keeps
    // records of aborted transactions out should one become so.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }

  private static Properties common(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrap));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, Objects.requireNonNull(clientId, "clientId"));
    return p;
  }

  private static void requireCommon(Properties p) {
    requireValue(p, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        "retort commits offsets itself after processing a record (at-least-once)");
    requireValue(p, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class.getName(), "retort's consumers read string keys");
    requireValue(p, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName(),
        "retort's consumers decode values themselves (ProtoSerde.decode), so a bad record "
            + "cannot stop the poll loop");
  }

  private static void apply(Properties p, Map<String, String> overrides, String kind) {
    Objects.requireNonNull(overrides, "overrides");
    overrides.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new IllegalArgumentException("null key or value in the " + kind + " settings");
      }
      p.put(key, value);
    });
  }

  private static void requireValue(Properties p, String key, String expected, String why) {
    String actual = p.getProperty(key).trim();
    boolean same = actual.equalsIgnoreCase(expected)
        || (key.equals(ProducerConfig.ACKS_CONFIG) && actual.equals("-1"));
    if (!same) {
      throw refused(key, actual, why + ", so it must be " + expected);
    }
  }

  private static RetortException refused(String key, String value, String why) {
    return new RetortException("Kafka client setting " + key,
        "the value '" + value + "' is not supported: " + why,
        "Remove " + key + " from the Kafka settings");
  }
}
