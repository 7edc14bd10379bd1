package dev.retort.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A topic to create: name, partition count and the few topic settings retort cares about.
 *
 * <p>Settings left empty take the broker's default. The replication factor is always the broker's
 * {@code default.replication.factor} (1 on the local brokers of this module).
 *
 * @param name the topic name
 * @param partitions the number of partitions, at least 1
 * @param retentionMs {@code retention.ms}; -1 keeps records forever; empty for the broker default
 * @param cleanupPolicy {@code cleanup.policy}
 * @param maxMessageBytes {@code max.message.bytes}, the largest record batch; empty for the broker
 *     default ({@code message.max.bytes})
 */
public record TopicSpec(
    String name,
    int partitions,
    OptionalLong retentionMs,
    CleanupPolicy cleanupPolicy,
    OptionalInt maxMessageBytes) {

  /** Legal topic names, as Kafka checks them. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** What the broker does with old records. */
  public enum CleanupPolicy {
    /** Delete segments older than the retention. */
    DELETE("delete"),
    /** Keep the latest record per key. */
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
      this.configValue = configValue;
    }

    /** Returns the value of {@code cleanup.policy} for this policy. */
    public String configValue() {
      return configValue;
    }
  }

  /** Validates the fields. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(retentionMs, "retentionMs");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(maxMessageBytes, "maxMessageBytes");
    if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("illegal topic name: '" + name + "'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    if (retentionMs.isPresent() && retentionMs.getAsLong() < -1) {
      throw new IllegalArgumentException("retentionMs must be -1 or more: " + retentionMs);
    }
    if (maxMessageBytes.isPresent() && maxMessageBytes.getAsInt() < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
    }
  }

  /**
   * Returns a topic with broker defaults for everything but the partition count.
   *
   * @param name the topic name
   * @param partitions the number of partitions
   * @return the spec
   */
  public static TopicSpec of(String name, int partitions) {
    return builder().setName(name).optPartitions(partitions).build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the topic-level settings this spec sets, as Kafka config keys and values. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", cleanupPolicy.configValue());
    retentionMs.ifPresent(ms -> configs.put("retention.ms", Long.toString(ms)));
    maxMessageBytes.ifPresent(b -> configs.put("max.message.bytes", Integer.toString(b)));
    return configs;
  }

  /** Builds a {@link TopicSpec}; the name is required. */
  public static final class Builder {
    private String name;
    private int partitions = 1;
    private OptionalLong retentionMs = OptionalLong.empty();
    private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE;
    private OptionalInt maxMessageBytes = OptionalInt.empty();

    private Builder() {}

    /** Sets the topic name (required). */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    /** Sets the partition count (default 1). */
    public Builder optPartitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Sets {@code retention.ms}; -1 keeps records forever (default: the broker's). */
    public Builder optRetentionMs(long retentionMs) {
      this.retentionMs = OptionalLong.of(retentionMs);
      return this;
    }

    /** Sets the cleanup policy (default {@link CleanupPolicy#DELETE}). */
    public Builder optCleanupPolicy(CleanupPolicy cleanupPolicy) {
      this.cleanupPolicy = cleanupPolicy;
      return this;
    }

    /** Sets {@code max.message.bytes} (default: the broker's {@code message.max.bytes}). */
    public Builder optMaxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = OptionalInt.of(maxMessageBytes);
      return this;
    }

    /** Validates and returns the spec. */
    public TopicSpec build() {
      if (name == null) {
        throw new IllegalArgumentException("You must specify the topic name (setName)");
      }
      return new TopicSpec(name, partitions, retentionMs, cleanupPolicy, maxMessageBytes);
    }
  }
}
