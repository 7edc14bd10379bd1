package dev.retort.messaging;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Masks secrets in client settings before they are logged.
 *
 * <p>A value is masked when its key, in lower case, contains {@code password}, {@code secret},
 * {@code jaas}, {@code token} or {@code credential}, or has {@code key} as one of its dot- or
 * dash-separated parts ({@code ssl.key.password}, {@code ssl.keystore.key}, {@code
 * sasl.oauthbearer.assertion.private.key.file}). The serializer class settings ({@code
 * key.serializer}, {@code key.deserializer}) are the only {@code key} settings left readable.
 * The rule is deliberately broad: an over-masked file path costs a little debugging, a leaked
 * password costs a rotation.
 */
public final class Redaction {
  /** What a masked value is replaced with. */
  public static final String MASK = "[redacted]";

  private static final Set<String> SECRET_WORDS =
      Set.of("password", "secret", "jaas", "token", "credential");
  private static final Set<String> READABLE = Set.of("key.serializer", "key.deserializer");

  private Redaction() {}

  /**
   * Returns a copy of client properties with secret values masked, sorted by key.
   *
   * @param props the properties
   * @return keys and values (masked where secret), for logging
   */
  public static SortedMap<String, String> redact(Properties props) {
    SortedMap<String, String> out = new TreeMap<>();
    props.forEach((k, v) -> {
      String key = String.valueOf(k);
      out.put(key, isSecret(key) ? MASK : String.valueOf(v));
    });
    return out;
  }

  /**
   * Returns a copy of a settings map with secret values masked, sorted by key.
   *
   * @param settings the settings
   * @return keys and values (masked where secret), for logging
   */
  public static SortedMap<String, String> redact(Map<String, ?> settings) {
    SortedMap<String, String> out = new TreeMap<>();
    settings.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : String.valueOf(v)));
    return out;
  }

  /**
   * Returns whether the value of a key must not be logged.
   *
   * @param key a settings key
   * @return true for keys of passwords, secrets, JAAS configs, tokens and keys
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (READABLE.contains(k)) {
      return false;
    }
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    for (String part : k.split("[.\\-_]")) {
      if (part.equals("key") || part.equals("keys")) {
        return true;
      }
    }
    return false;
  }
}
