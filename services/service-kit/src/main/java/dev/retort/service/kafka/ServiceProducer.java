package dev.retort.service.kafka;

import dev.retort.messaging.service.AwaitedProducer;
import dev.retort.proto.v1.JobEvent;
import dev.retort.service.setup.ReplicaName;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * The one idempotent producer of a service that answers requests (loss, evaluator): it sends the
 * service's answers and job events, keyed by job id, waiting for each acknowledgement, so that a
 * request is committed only once its answer is durable; it also carries the dead letters ({@link
 * #producer()}). Its client id is the replica's service name and its metrics go to Micrometer.
 *
 * <p>Each service declares a bean that extends this class with its settings and one typed method
 * per answer (e.g. {@code reply(LossReply)}); the lifecycle callbacks are inherited.
 */
public abstract class ServiceProducer {
  private final KafkaClients clients;
  private final ReplicaName instance;
  private final ClientMetrics clientMetrics;
  private final Duration timeout;
  private AwaitedProducer sender;

  /**
   * Prepares the producer; it opens when the bean is constructed.
   *
   * @param clients the client factory
   * @param instance this replica
   * @param clientMetrics binds the producer's metrics
   * @param timeout how long a send may wait for its acknowledgement
   */
  protected ServiceProducer(KafkaClients clients, ReplicaName instance,
      ClientMetrics clientMetrics, Duration timeout) {
    this.clients = clients;
    this.instance = instance;
    this.clientMetrics = clientMetrics;
    this.timeout = timeout;
  }

  /** Opens the producer (public, so that the container can call it on any subclass). */
  @PostConstruct
  public void open() {
    Producer<String, byte[]> producer = clients.producer(instance.service());
    clientMetrics.bind(producer);
    sender = new AwaitedProducer(producer, timeout);
  }

  /** Returns the producer, for dead letters. */
  public Producer<String, byte[]> producer() {
    return sender.producer();
  }

  /**
   * Sends a record and waits for the acknowledgement.
   *
   * @param topic the topic
   * @param key the key (the job id)
   * @param value the encoded message
   * @throws IllegalStateException if the send fails or times out
   */
  protected void send(String topic, String key, byte[] value) {
    sender.send(topic, key, value);
  }

  /**
   * Sends a job event and waits for the acknowledgement.
   *
   * @param event the event
   * @throws IllegalStateException if the send fails or times out
   */
  public void event(JobEvent event) {
    sender.event(event);
  }

  /** Sends what is buffered and closes the producer. */
  @PreDestroy
  public void close() {
    if (sender != null) {
      sender.close();
    }
  }
}
