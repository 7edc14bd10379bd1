package dev.retort.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends values of any size: a value larger than one record is split by a {@link Chunker} and sent
 * as consecutive records with the same key.
 *
 * <p>Order and completeness rest on the producer settings of {@link ClientConfigs#producer}: the
 * same key puts every chunk in one partition; idempotence with at most 5 requests in flight keeps
 * them in send order and writes each once, even across retries; {@code acks=all} makes an
 * acknowledged chunk durable. The returned future completes when every chunk is acknowledged, with
 * the metadata of the first chunk, or fails with the first error (chunks already written then stay
 * in the log as an incomplete message, which readers discard).
 *
 * <p>Thread-safe, as {@link KafkaProducer} is. Chunks of messages sent concurrently from several
 * threads with the same key may interleave in the partition; readers handle that.
 */
public final class ChunkedProducer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkedProducer.class);

  private final Producer<String, byte[]> producer;
  private final Chunker chunker;

  /**
   * Wraps a producer.
   *
   * @param producer a producer with the settings of {@link ClientConfigs#producer}
   * @param chunker the chunker; its chunks must fit the producer's {@code max.request.size}
   */
  public ChunkedProducer(Producer<String, byte[]> producer, Chunker chunker) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.chunker = Objects.requireNonNull(chunker, "chunker");
  }

  /**
   * Creates a producer with {@link ClientConfigs#producer} settings and a chunker sized to its
   * {@code max.request.size}.
   *
   * @param bootstrap the bootstrap servers
   * @param clientId the client id
   * @param overrides settings applied last (security, {@code max.request.size}, ...)
   * @return the producer
   */
  public static ChunkedProducer create(String bootstrap, String clientId,
      Map<String, String> overrides) {
    Properties props = ClientConfigs.producer(bootstrap, clientId, overrides);
    LOG.info("Kafka producer settings: {}", Redaction.redact(props));
    int maxRequestSize =
        Integer.parseInt(props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).trim());
    return new ChunkedProducer(new KafkaProducer<>(props),
        Chunker.forMaxRequestSize(maxRequestSize));
  }

  /** Returns the wrapped producer, for ordinary records (events, dead letters). */
  public Producer<String, byte[]> producer() {
    return producer;
  }

  /** Returns the chunker. */
  public Chunker chunker() {
    return chunker;
  }

  /**
   * Sends a value, in chunks if it is too large for one record.
   *
   * @param topic the topic
   * @param key the key; required, since it keeps the chunks in one partition
   * @param value the value
   * @return the first chunk's metadata and the chunk count, once every chunk is acknowledged
   */
  public CompletableFuture<SentMessage> send(String topic, String key, byte[] value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Sends a record's value, in chunks if needed; the partition, timestamp and headers of the
   * record are kept on every chunk.
   *
   * @param record the record; its key is required unless it names a partition
   * @return the first chunk's metadata and the chunk count, once every chunk is acknowledged
   */
  public CompletableFuture<SentMessage> send(ProducerRecord<String, byte[]> record) {
    byte[] value = Objects.requireNonNull(record.value(), "value");
    List<Chunker.Chunk> chunks = chunker.split(value);
    if (chunks.size() > 1 && record.key() == null && record.partition() == null) {
      throw new IllegalArgumentException("a chunked message needs a key or a partition, so that "
          + "its chunks stay in one partition");
    }
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(chunks.size());
    for (Chunker.Chunk chunk : chunks) {
      RecordHeaders headers = new RecordHeaders(record.headers().toArray());
      chunk.header().ifPresent(h -> h.writeTo(headers));
      ProducerRecord<String, byte[]> out = new ProducerRecord<>(record.topic(),
          record.partition(), record.timestamp(), record.key(), chunk.value(), headers);
      CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
      acks.add(ack);
      try {
        producer.send(out, (metadata, error) -> {
          if (error != null) {
            ack.completeExceptionally(error);
          } else {
            ack.complete(metadata);
          }
        });
      } catch (RuntimeException e) {
        ack.completeExceptionally(e);
        break; // the remaining chunks would only make the incomplete message longer
      }
    }
    String messageId = chunks.get(0).header().map(ChunkHeader::messageId).orElse("");
    int count = chunks.size();
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> new SentMessage(acks.get(0).join(), count, messageId,
            value.length));
  }

  /** Sends everything buffered and waits for the acknowledgements. */
  public void flush() {
    producer.flush();
  }

  /** Closes the producer, after sending what is buffered. */
  @Override
  public void close() {
    producer.close();
  }
}
