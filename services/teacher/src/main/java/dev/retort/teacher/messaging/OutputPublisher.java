package dev.retort.teacher.messaging;

import dev.retort.messaging.ChunkedProducer;
import dev.retort.messaging.Chunker;
import dev.retort.messaging.SentMessage;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.service.kafka.ClientMetrics;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.teacher.config.Instance;
import dev.retort.teacher.config.TeacherConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a teacher output, chunked when larger than one record, and then, once every chunk is
 * acknowledged, its location on the compacted index topic under the same key. A reader that finds
 * the index entry therefore always finds the whole output.
 *
 * <p>The producer is idempotent with {@code acks=all} ({@code ClientConfigs}); it also carries
 * the service's dead letters ({@link #producer()}).
 */
@ApplicationScoped
public class OutputPublisher {
  private final KafkaClients clients;
  private final Instance instance;
  private final ClientMetrics clientMetrics;
  private final int maxRequestBytes;
  private final Duration timeout;
  private ChunkedProducer producer;

  /**
   * Creates the publisher.
   *
   * @param clients the client factory
   * @param config the service settings
   * @param instance this replica
   * @param clientMetrics binds the producer's metrics
   */
  @Inject
  public OutputPublisher(KafkaClients clients, TeacherConfig config, Instance instance,
      ClientMetrics clientMetrics) {
    this.clients = clients;
    this.instance = instance;
    this.clientMetrics = clientMetrics;
    this.maxRequestBytes = config.publishing().maxRequestBytes();
    this.timeout = config.publishing().timeout();
  }

  @PostConstruct
  void open() {
    Producer<String, byte[]> p = clients.producer(instance.service(), Map.of(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes),
        // No compression: outputs are fp16/bf16/fp32 tensor bytes, which lz4 does not shrink, yet
        // the producer compresses, the broker decompresses to validate and the trainer decompresses
        // to read every byte (tens of MB per batch with every layer).
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
    clientMetrics.bind(p);
    producer = new ChunkedProducer(p, Chunker.forMaxRequestSize(maxRequestBytes));
  }

  /** Returns the underlying producer, for dead letters. */
  public Producer<String, byte[]> producer() {
    return producer.producer();
  }

  /**
   * Sends an output and then its index entry, waiting for both acknowledgements.
   *
   * @param key {@code <pass id>/<batch key>}
   * @param output the output
   * @param mapper builds the index entry
   * @return the index entry
   * @throws IllegalStateException if a send fails or times out
   */
  public TeacherOutputLocation publish(String key, TeacherOutput output,
      TeacherOutputMapper mapper) {
    SentMessage sent = await(producer.send(Topics.TEACHER_OUTPUTS, key, output.toByteArray()),
        "output " + key);
    TeacherOutputLocation location = mapper.toLocation(output, sent, Topics.TEACHER_OUTPUTS);
    CompletableFuture<RecordMetadata> indexed = new CompletableFuture<>();
    producer.producer().send(new ProducerRecord<>(Topics.TEACHER_INDEX, key,
        location.toByteArray()), (metadata, error) -> {
          if (error != null) {
            indexed.completeExceptionally(error);
          } else {
            indexed.complete(metadata);
          }
        });
    await(indexed, "index entry " + key);
    return location;
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish the " + what + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the " + what + " was not acknowledged within "
          + timeout.toSeconds() + " s (retort.teacher.publishing.timeout)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the " + what, e);
    }
  }

  /** Sends what is buffered and closes the producer. */
  @PreDestroy
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
