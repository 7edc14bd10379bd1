package dev.retort.messaging;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import dev.retort.proto.v1.SchemaVersion;
import java.util.Optional;

/**
 * Checks the {@code schema_version} field that every retort record value carries.
 *
 * <p>This reader knows {@code SCHEMA_VERSION_1} only. A value without the field set ({@code
 * SCHEMA_VERSION_UNSPECIFIED}) comes from a writer that forgot it, or is not a retort message at
 * all: bytes of another format often parse as a protobuf message of unknown fields. A number this
 * reader does not know (proto3 keeps it and reports {@code UNRECOGNIZED}) comes from a newer
 * writer. Both are rejected.
 */
public final class SchemaVersions {
  /** The field every versioned message has. */
  public static final String FIELD = "schema_version";

  /** The version this code writes and reads. */
  public static final SchemaVersion CURRENT = SchemaVersion.SCHEMA_VERSION_1;

  private SchemaVersions() {}

  /**
   * Returns what is wrong with a message's schema version, or empty when it is the current one.
   *
   * <p>Message types without a {@value #FIELD} field pass.
   *
   * @param message the message
   * @return the problem, worded for a dead letter
   */
  public static Optional<String> problem(MessageOrBuilder message) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(FIELD);
    if (field == null || field.getType() != FieldDescriptor.Type.ENUM) {
      return Optional.empty();
    }
    int number = ((EnumValueDescriptor) message.getField(field)).getNumber();
    if (number == CURRENT.getNumber()) {
      return Optional.empty();
    }
    String type = message.getDescriptorForType().getFullName();
    if (number == SchemaVersion.SCHEMA_VERSION_UNSPECIFIED_VALUE) {
      return Optional.of(type + " has no schema_version (writers must set " + CURRENT
          + "); the bytes may not be a " + type + " at all");
    }
    return Optional.of(type + " has schema_version " + number + ", which this reader does not "
        + "know (it reads " + CURRENT + " = " + CURRENT.getNumber() + "); upgrade the reader");
  }
}
