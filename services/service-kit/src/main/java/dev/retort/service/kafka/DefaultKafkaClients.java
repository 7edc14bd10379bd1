package dev.retort.service.kafka;

import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real clients with retort's explicit settings ({@code ClientConfigs}) and the security keys. */
@ApplicationScoped
public class DefaultKafkaClients implements KafkaClients {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultKafkaClients.class);

  private final KafkaAccess access;

  /**
   * Creates the factory.
   *
   * @param access where the cluster is
   */
  @Inject
  public DefaultKafkaClients(KafkaAccess access) {
    this.access = access;
  }

  /** {@inheritDoc} */
  @Override
  public Producer<String, byte[]> producer(String clientId, Map<String, String> overrides) {
    Properties p = ClientConfigs.producer(access.bootstrap(), clientId, merged(overrides));
    LOG.info("Producer {}: {}", clientId, Redaction.redact(p));
    return new KafkaProducer<>(p);
  }

  /** {@inheritDoc} */
  @Override
  public Consumer<String, byte[]> assignedConsumer(String clientId,
      Map<String, String> overrides) {
    Properties p = ClientConfigs.assignedConsumer(access.bootstrap(), clientId, merged(overrides));
    LOG.info("Consumer {}: {}", clientId, Redaction.redact(p));
    return new KafkaConsumer<>(p);
  }

  /** {@inheritDoc} */
  @Override
  public Admin admin() {
    return Admin.create(ClientConfigs.admin(access.bootstrap(), access.security()));
  }

  /** {@inheritDoc} */
  @Override
  public String bootstrap() {
    return access.bootstrap();
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, String> security() {
    return access.security();
  }

  private Map<String, String> merged(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(access.security());
    all.putAll(overrides);
    return all;
  }
}
