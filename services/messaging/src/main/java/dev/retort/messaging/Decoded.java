package dev.retort.messaging;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of decoding one record: a value, or the reason it could not be decoded.
 *
 * <p>Consumers decode with {@link ProtoSerde#decode} (or receive this type from {@link
 * ProtoSerde#decodingDeserializer()}) instead of letting a deserializer throw, because an exception
 * thrown while deserializing escapes from {@code poll()} and stops the loop at the bad record. A
 * failure keeps the raw bytes (when known), so the record can be published as a dead letter.
 *
 * @param <T> the decoded type
 */
public final class Decoded<T> {
  private static final byte[] NO_BYTES = new byte[0];

  private final T value;
  private final String reason;
  private final byte[] raw;

  private Decoded(T value, String reason, byte[] raw) {
    this.value = value;
    this.reason = reason;
    this.raw = raw;
  }

  /**
   * Returns a success.
   *
   * @param value the decoded value, not null
   * @param <T> its type
   * @return the outcome
   */
  public static <T> Decoded<T> ok(T value) {
    return new Decoded<>(Objects.requireNonNull(value, "value"), null, null);
  }

  /**
   * Returns a failure.
   *
   * @param reason why the record could not be decoded, for logs and dead letters
   * @param raw the record's bytes as received; null when not known
   * @param <T> the type that was expected
   * @return the outcome
   */
  public static <T> Decoded<T> failed(String reason, byte[] raw) {
    return new Decoded<>(null, Objects.requireNonNull(reason, "reason"), raw);
  }

  /** Returns whether decoding succeeded. */
  public boolean isOk() {
    return reason == null;
  }

  /**
   * Returns the value.
   *
   * @throws IllegalStateException if decoding failed (check {@link #isOk()} first)
   */
  public T value() {
    if (reason != null) {
      throw new IllegalStateException("no value, decoding failed: " + reason);
    }
    return value;
  }

  /** Returns the value, or empty when decoding failed. */
  public Optional<T> toOptional() {
    return Optional.ofNullable(value);
  }

  /**
   * Returns why decoding failed.
   *
   * @throws IllegalStateException if decoding succeeded
   */
  public String reason() {
    if (reason == null) {
      throw new IllegalStateException("decoding succeeded, there is no failure reason");
    }
    return reason;
  }

  /** Returns the raw bytes of a failed record (empty when unknown or on success). */
  public byte[] raw() {
    return raw == null ? NO_BYTES : raw.clone();
  }

  /**
   * Applies a function to the value of a success; a failure stays a failure of the new type.
   *
   * @param f the function
   * @param <R> its result type
   * @return the mapped outcome
   */
  public <R> Decoded<R> map(Function<? super T, ? extends R> f) {
    return isOk() ? Decoded.ok(f.apply(value)) : new Decoded<>(null, reason, raw);
  }

  @Override
  public String toString() {
    return isOk() ? "Decoded[ok " + value.getClass().getSimpleName() + "]"
        : "Decoded[failed: " + reason + "]";
  }
}
