package dev.retort.teacher;

import dev.retort.messaging.Topics;
import dev.retort.service.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients without a broker, for channel-wiring tests: one {@link MockProducer} that
 * acknowledges every send at once (or fails the next output's, or every send to a topic, on
 * demand), and an index consumer over an empty index topic.
 */
@Alternative
@ApplicationScoped
public class FakeKafkaClients implements KafkaClients {
  private final AtomicBoolean failNextOutput = new AtomicBoolean();
  private final List<Map<String, String>> producerOverrides =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, RuntimeException> failing = new ConcurrentHashMap<>();
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
            Callback callback) {
          RuntimeException error = failing.get(record.topic());
          if (error != null) {
            if (callback != null) {
              callback.onCompletion(null, error);
            }
            return CompletableFuture.failedFuture(error);
          }
          if (!failNextOutput.get() || !record.topic().equals(Topics.TEACHER_OUTPUTS)) {
            return super.send(record, callback);
          }
          // Every chunk of the output fails, 300 ms later, as with a broker that went away.
          KafkaException down = new KafkaException("the broker is down (test)");
          CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
          CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> {
            failNextOutput.set(false);
            if (callback != null) {
              callback.onCompletion(null, down);
            }
            failed.completeExceptionally(down);
          });
          return failed;
        }
      };

  /** Makes the sends of the next teacher output fail, 300 ms after they are made. */
  public void failNextOutput() {
    failNextOutput.set(true);
  }

  /**
   * Makes every later send to a topic fail at once with an error (not recorded in {@link #sent}),
   * as a broker that does not take it would.
   *
   * @param topic the topic
   * @param error what the sends fail with, e.g. Kafka's {@code TimeoutException}
   */
  public void failSendsTo(String topic, RuntimeException error) {
    failing.put(topic, error);
  }

  /** Lets every send to a topic made to fail succeed again. */
  public void healSends() {
    failing.clear();
  }

  /** Returns what was sent so far, in order. */
  public List<ProducerRecord<String, byte[]>> sent() {
    return new ArrayList<>(producer.history());
  }

  /** Returns the settings each producer was asked for on top of the defaults, in order. */
  public List<Map<String, String>> producerOverrides() {
    return new ArrayList<>(producerOverrides);
  }

  @Override
  public Producer<String, byte[]> producer(String clientId, Map<String, String> overrides) {
    producerOverrides.add(Map.copyOf(overrides));
    return producer;
  }

  @Override
  public Consumer<String, byte[]> assignedConsumer(String clientId,
      Map<String, String> overrides) {
    return emptyIndex();
  }

  /** Returns an admin client that knows only that every log starts at offset 0. */
  @Override
  public Admin admin() {
    return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(),
        new Class<?>[] {Admin.class}, (proxy, method, args) -> switch (method.getName()) {
          case "listOffsets" -> {
            Map<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> out =
                new HashMap<>();
            for (Object tp : ((Map<?, ?>) args[0]).keySet()) {
              out.put((TopicPartition) tp, KafkaFuture.completedFuture(
                  new ListOffsetsResult.ListOffsetsResultInfo(0, -1, Optional.empty())));
            }
            yield new ListOffsetsResult(out);
          }
          case "close" -> null;
          default -> throw new UnsupportedOperationException("no broker in channel tests");
        });
  }

  @Override
  public String bootstrap() {
    return "in-memory";
  }

  @Override
  public Map<String, String> security() {
    return Map.of();
  }

  /** Returns a consumer of an empty four-partition index topic whose polls wait like real ones. */
  static MockConsumer<String, byte[]> emptyIndex() {
    MockConsumer<String, byte[]> c = new MockConsumer<>("earliest") {
      @Override
      public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = super.poll(timeout);
        if (records.isEmpty()) {
          try {
            wait(Math.min(timeout.toMillis(), 50));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return records;
      }
    };
    List<PartitionInfo> infos = new ArrayList<>();
    Map<TopicPartition, Long> zeros = new HashMap<>();
    for (int p = 0; p < Topics.NARROW_PARTITIONS; p++) {
      infos.add(new PartitionInfo(Topics.TEACHER_INDEX, p, null, null, null));
      zeros.put(new TopicPartition(Topics.TEACHER_INDEX, p), 0L);
    }
    c.updatePartitions(Topics.TEACHER_INDEX, infos);
    c.updateBeginningOffsets(zeros);
    c.updateEndOffsets(zeros);
    return c;
  }
}
