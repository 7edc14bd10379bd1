package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaBrokersTest {
  private final KafkaSettings settings =
      KafkaSettings.builder().setWorkDir(Path.of("target/unused")).build();

  @Test
  void noConfigurationStartsAProcessBroker() {
    assertThat(KafkaBrokers.fromConfig(settings, Map.<String, String>of()::get))
        .isInstanceOf(ProcessKafkaBroker.class);
  }

  @Test
  void bootstrapAddressAloneSelectsTheExternalBroker() {
    KafkaBroker broker = KafkaBrokers.fromConfig(settings,
        Map.of(KafkaBrokers.BOOTSTRAP_PROPERTY, " localhost:9092 ")::get);

    assertThat(broker).isInstanceOf(ExternalKafka.class);
    assertThat(broker.bootstrapServers()).isEqualTo("localhost:9092");
  }

  @Test
  void explicitModeWinsOverABootstrapAddress() {
    assertThat(KafkaBrokers.fromConfig(settings, Map.of(
        KafkaBrokers.MODE_PROPERTY, "Embedded",
        KafkaBrokers.BOOTSTRAP_PROPERTY, "localhost:9092")::get))
        .isInstanceOf(EmbeddedKafkaBroker.class);
  }

  @Test
  void externalModeWithoutAddressAndUnknownModesAreExplained() {
    assertThatThrownBy(() -> KafkaBrokers.fromConfig(settings,
        Map.of(KafkaBrokers.MODE_PROPERTY, "external")::get))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining(KafkaBrokers.BOOTSTRAP_ENV);
    assertThatThrownBy(() -> KafkaBrokers.fromConfig(settings,
        Map.of(KafkaBrokers.MODE_PROPERTY, "docker")::get))
        .isInstanceOf(RetortException.class)
        .hasMessage("RETORT_KAFKA_MODE=docker: unknown Kafka mode. "
            + "Use process, embedded or external.");
  }

  @Test
  void externalBrokerThatDoesNotAnswerIsReportedWithTheSetting() {
    String address = "127.0.0.1:" + FreePorts.pick(); // nothing listens there

    assertThatThrownBy(() -> new ExternalKafka(address, Duration.ofMillis(500)).start())
        .isInstanceOf(RetortException.class)
        .hasMessageStartingWith("RETORT_KAFKA_BOOTSTRAP=" + address + ": no Kafka broker answered");
  }

  @Test
  void environmentNamesAreTheUpperCasePropertyNames() {
    assertThat(KafkaBrokers.BOOTSTRAP_ENV)
        .isEqualTo(KafkaBrokers.BOOTSTRAP_PROPERTY.toUpperCase().replace('.', '_'));
    assertThat(KafkaBrokers.MODE_ENV)
        .isEqualTo(KafkaBrokers.MODE_PROPERTY.toUpperCase().replace('.', '_'));
  }
}
