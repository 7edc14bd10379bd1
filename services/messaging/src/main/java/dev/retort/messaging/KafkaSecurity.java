package dev.retort.messaging;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Picks the Kafka security settings out of a larger settings map.
 *
 * <p>A deployment configures TLS and SASL with Kafka's own keys: {@code security.protocol}, every
 * {@code ssl.*} key (trust store, key store, passwords, endpoint identification) and every {@code
 * sasl.*} key (mechanism, JAAS config, OAuth settings). They are copied unchanged into the client
 * settings ({@link ClientConfigs}), so whatever the Kafka client supports works without code
 * changes. Log them only through {@link Redaction#redact}.
 */
public final class KafkaSecurity {
  private KafkaSecurity() {}

  /**
   * Returns the security settings of a map whose keys are Kafka client keys.
   *
   * @param settings any settings; values are converted with {@code toString()}
   * @return {@code security.protocol}, {@code ssl.*} and {@code sasl.*} entries, sorted by key
   */
  public static Map<String, String> extract(Map<String, ?> settings) {
    return extract(settings, "");
  }

  /**
   * Returns the security settings of a map whose Kafka keys carry a prefix, e.g. {@code kafka.}.
   *
   * @param settings any settings; values are converted with {@code toString()}
   * @param prefix the prefix before the Kafka key; it is removed
   * @return Kafka security keys without the prefix and their values, sorted by key
   */
  public static Map<String, String> extract(Map<String, ?> settings, String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    Map<String, String> out = new TreeMap<>();
    settings.forEach((key, value) -> {
      if (key != null && value != null && key.startsWith(prefix)) {
        String kafkaKey = key.substring(prefix.length());
        if (isSecurityKey(kafkaKey)) {
          out.put(kafkaKey, value.toString());
        }
      }
    });
    return out;
  }

  /**
   * Returns whether a Kafka client key is a security setting.
   *
   * @param key the key
   * @return true for {@code security.protocol}, {@code ssl.*} and {@code sasl.*}
   */
  public static boolean isSecurityKey(String key) {
    return key.equals("security.protocol") || key.startsWith("ssl.") || key.startsWith("sasl.");
  }
}
