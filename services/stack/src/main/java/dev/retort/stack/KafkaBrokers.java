package dev.retort.stack;

import dev.retort.core.RetortException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Chooses the kind of {@link KafkaBroker} from configuration, so code and tests never hard-code it.
 *
 * <p>Each key is read as a system property, then as an environment variable (upper case,
 * underscores):
 *
 * <ul>
 *   <li>{@value #BOOTSTRAP_PROPERTY} / {@value #BOOTSTRAP_ENV}: the bootstrap address of an
 *       existing broker; when set (and no mode is given) the result is an {@link ExternalKafka}.
 *       This is how a Testcontainers broker, where Docker exists, is plugged in.
 *   <li>{@value #MODE_PROPERTY} / {@value #MODE_ENV}: {@code process} (default when no bootstrap
 *       address is set), {@code embedded} or {@code external}.
 * </ul>
 */
public final class KafkaBrokers {
  /** System property with the bootstrap address of an existing broker. */
  public static final String BOOTSTRAP_PROPERTY = "retort.kafka.bootstrap";
  /** Environment variable with the bootstrap address of an existing broker. */
  public static final String BOOTSTRAP_ENV = "RETORT_KAFKA_BOOTSTRAP";
  /** System property choosing the broker kind. */
  public static final String MODE_PROPERTY = "retort.kafka.mode";
  /** Environment variable choosing the broker kind. */
  public static final String MODE_ENV = "RETORT_KAFKA_MODE";

  /** The broker kinds. */
  public enum Mode {
    /** {@link ProcessKafkaBroker}. */
    PROCESS,
    /** {@link EmbeddedKafkaBroker}. */
    EMBEDDED,
    /** {@link ExternalKafka}. */
    EXTERNAL
  }

  private KafkaBrokers() {}

  /**
   * Returns the broker the system properties and environment ask for; nothing is started yet.
   *
   * @param settings settings for a local broker (only the start timeout for an external one)
   * @return the broker
   * @throws RetortException if the mode is unknown, or external without an address
   */
  public static KafkaBroker fromConfig(KafkaSettings settings) {
    return fromConfig(settings, KafkaBrokers::systemPropertyOrEnv);
  }

  /**
   * Returns the broker that {@code config} asks for.
   *
   * @param settings settings for a local broker
   * @param config looks up a system-property-style key; returns null when it is not set
   * @return the broker
   */
  public static KafkaBroker fromConfig(KafkaSettings settings, UnaryOperator<String> config) {
    String bootstrap = blankToNull(config.apply(BOOTSTRAP_PROPERTY));
    Mode mode = mode(config.apply(MODE_PROPERTY), bootstrap != null);
    switch (mode) {
      case EMBEDDED:
        return new EmbeddedKafkaBroker(settings);
      case EXTERNAL:
        if (bootstrap == null) {
          throw new RetortException(MODE_ENV + "=external", "no bootstrap address is set",
              "Set " + BOOTSTRAP_ENV + " (or -D" + BOOTSTRAP_PROPERTY + ") to host:port");
        }
        return new ExternalKafka(bootstrap, settings.startTimeout());
      default:
        return new ProcessKafkaBroker(settings);
    }
  }

  /**
   * Returns the mode a configuration value names.
   *
   * @param value the value of {@value #MODE_PROPERTY}, or null
   * @param bootstrapSet whether a bootstrap address is configured
   * @return the mode
   */
  static Mode mode(String value, boolean bootstrapSet) {
    String v = blankToNull(value);
    if (v == null) {
      return bootstrapSet ? Mode.EXTERNAL : Mode.PROCESS;
    }
    try {
      return Mode.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RetortException(MODE_ENV + "=" + v, "unknown Kafka mode",
          "Use process, embedded or external");
    }
  }

  /** Reads {@code key} as a system property, then as {@code KEY_WITH_UNDERSCORES} from the env. */
  static String systemPropertyOrEnv(String key) {
    String value = System.getProperty(key);
    if (value != null) {
      return value;
    }
    return System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
