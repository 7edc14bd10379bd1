package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void secretValuesAreMaskedAndTheRestIsKept() {
    Properties p = ClientConfigs.producer("h:9093", "cli", Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";",
        "ssl.key.password", "k-pass",
        "ssl.keystore.password", "ks-pass",
        "ssl.truststore.password", "ts-pass",
        "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
        "sasl.oauthbearer.client.credentials.client.secret", "s3cr3t",
        "ssl.truststore.location", "/etc/kafka/truststore.p12"));

    Map<String, String> redacted = Redaction.redact(p);

    assertThat(redacted).containsEntry("sasl.jaas.config", Redaction.MASK)
        .containsEntry("ssl.key.password", Redaction.MASK)
        .containsEntry("ssl.keystore.password", Redaction.MASK)
        .containsEntry("ssl.truststore.password", Redaction.MASK)
        .containsEntry("ssl.keystore.key", Redaction.MASK)
        .containsEntry("sasl.oauthbearer.client.credentials.client.secret", Redaction.MASK)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry("bootstrap.servers", "h:9093")
        .containsEntry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    assertThat(redacted.toString()).doesNotContain("hunter2", "k-pass", "ks-pass", "ts-pass",
        "PRIVATE KEY", "s3cr3t");
    assertThat(redacted).hasSameSizeAs(p);
  }

  @Test
  void mapsAreRedactedByTheSameRule() {
    assertThat(Redaction.redact(Map.of("API_TOKEN", "t", "Password", "p", "user", "u")))
        .containsEntry("API_TOKEN", Redaction.MASK)
        .containsEntry("Password", Redaction.MASK)
        .containsEntry("user", "u");
  }

  @Test
  void keyIsASecretOnlyAsAWholeWord() {
    assertThat(Redaction.isSecret("ssl.key.password")).isTrue();
    assertThat(Redaction.isSecret("sasl.oauthbearer.assertion.private.key.file")).isTrue();
    assertThat(Redaction.isSecret("key.serializer")).isFalse();
    assertThat(Redaction.isSecret("key.deserializer")).isFalse();
    assertThat(Redaction.isSecret("ssl.keystore.location")).isFalse();
    assertThat(Redaction.isSecret("monkey.count")).isFalse();
  }
}
