package dev.retort.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer and deserializers for one generated protobuf message type.
 *
 * <p>The parser comes from the type's default instance: {@code new
 * ProtoSerde<>(TrainingRequest.getDefaultInstance())}. Decoding also checks the schema version
 * ({@link SchemaVersions}).
 *
 * <p>Consumers should decode with {@link #decode(byte[])} (byte-array values, see {@link
 * ClientConfigs}) or use {@link #decodingDeserializer()}: both return a {@link Decoded} instead of
 * throwing, so one bad record goes to the dead-letter topic instead of stopping the poll loop.
 * {@link #deserializer()} throws {@link BadMessageException}, for code that wants an exception.
 * A Quarkus service adapts this class with a subclass that has a no-argument constructor, which
 * the Kafka client instantiates by class name.
 *
 * @param <T> the message type
 */
public class ProtoSerde<T extends Message> implements Serde<T> {
  private final Parser<T> parser;
  private final String typeName;

  /**
   * Creates the serde of a message type.
   *
   * @param defaultInstance the type's default instance, e.g. {@code
   *     TrainingRequest.getDefaultInstance()}
   */
  @SuppressWarnings("unchecked")
  public ProtoSerde(T defaultInstance) {
    Objects.requireNonNull(defaultInstance, "defaultInstance");
    this.parser = (Parser<T>) defaultInstance.getParserForType();
    this.typeName = defaultInstance.getDescriptorForType().getFullName();
  }

  /**
   * Returns the serde of a message type.
   *
   * @param defaultInstance the type's default instance
   * @param <T> the message type
   * @return the serde
   */
  public static <T extends Message> ProtoSerde<T> of(T defaultInstance) {
    return new ProtoSerde<>(defaultInstance);
  }

  /** Returns the full protobuf name of the type, e.g. {@code retort.v1.TrainingRequest}. */
  public String typeName() {
    return typeName;
  }

  /**
   * Returns the binary encoding of a message.
   *
   * @param message the message; null gives null (a tombstone)
   * @return the bytes
   */
  public byte[] toBytes(T message) {
    return message == null ? null : message.toByteArray();
  }

  /**
   * Decodes a value without throwing.
   *
   * @param bytes the record value; null (a tombstone) is a failure
   * @return the message, or why the bytes are not a current message of this type
   */
  public Decoded<T> decode(byte[] bytes) {
    if (bytes == null) {
      return Decoded.failed("the record has no value (a tombstone), expected a " + typeName, null);
    }
    T message;
    try {
      message = parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return Decoded.failed("the value (" + bytes.length + " bytes) does not parse as "
          + typeName + ": " + e.getMessage(), bytes);
    }
    Optional<String> problem = SchemaVersions.problem(message);
    return problem.isPresent() ? Decoded.failed(problem.get(), bytes) : Decoded.ok(message);
  }

  /**
   * Decodes a value.
   *
   * @param bytes the record value
   * @return the message
   * @throws BadMessageException if the bytes are not a current message of this type
   */
  public T parse(byte[] bytes) {
    Decoded<T> decoded = decode(bytes);
    if (!decoded.isOk()) {
      throw new BadMessageException("record value", decoded.reason());
    }
    return decoded.value();
  }

  /** Returns a serializer that writes the binary encoding. */
  @Override
  public Serializer<T> serializer() {
    return (topic, message) -> toBytes(message);
  }

  /** Returns a deserializer that throws {@link BadMessageException} on a bad value. */
  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> parse(bytes);
  }

  /** Returns a deserializer that never throws: every value becomes a {@link Decoded}. */
  public Deserializer<Decoded<T>> decodingDeserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
