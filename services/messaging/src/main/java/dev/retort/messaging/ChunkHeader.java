package dev.retort.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers that mark one chunk of a message split by {@link Chunker}.
 *
 * <p>On the wire, four UTF-8 headers:
 *
 * <ul>
 *   <li>{@value #MESSAGE_ID}: the message's id, a random UUID, the same on every chunk;
 *   <li>{@value #CHUNK}: {@code i/n}, this chunk's position, 1-based ({@code 1/3}, {@code 2/3},
 *       {@code 3/3});
 *   <li>{@value #TOTAL_BYTES}: the length of the whole value, in decimal;
 *   <li>{@value #SHA256}: the SHA-256 of the whole value, 64 lower-case hex digits.
 * </ul>
 *
 * <p>The whole value is the concatenation of the chunks' values in order. A record without these
 * headers is a whole message.
 *
 * @param messageId the message id
 * @param index the chunk's position, 0-based (the wire form is 1-based)
 * @param count the number of chunks of the message
 * @param totalBytes the length of the whole value
 * @param sha256 the hex SHA-256 of the whole value
 */
public record ChunkHeader(String messageId, int index, int count, long totalBytes, String sha256) {
  /** Header of the message id. */
  public static final String MESSAGE_ID = "retort-message-id";
  /** Header of the chunk position, {@code i/n}, 1-based. */
  public static final String CHUNK = "retort-chunk";
  /** Header of the whole value's length. */
  public static final String TOTAL_BYTES = "retort-total-bytes";
  /** Header of the whole value's SHA-256. */
  public static final String SHA256 = "retort-sha256";

  private static final Pattern POSITION = Pattern.compile("([0-9]{1,9})/([0-9]{1,9})");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /** Checks the fields. */
  public ChunkHeader {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(sha256, "sha256");
    if (messageId.isEmpty() || messageId.length() > 128) {
      throw new IllegalArgumentException("message id must have 1 to 128 characters");
    }
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("chunk " + index + " of " + count + " is impossible");
    }
    if (totalBytes < count || totalBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          count + " chunks cannot hold " + totalBytes + " bytes");
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
    }
  }

  /** Returns the hex form of a SHA-256 digest. */
  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /**
   * Adds the four headers to a record's headers.
   *
   * @param headers the record's headers
   */
  public void writeTo(Headers headers) {
    headers.add(MESSAGE_ID, utf8(messageId));
    headers.add(CHUNK, utf8((index + 1) + "/" + count));
    headers.add(TOTAL_BYTES, utf8(Long.toString(totalBytes)));
    headers.add(SHA256, utf8(sha256));
  }

  /**
   * Reads the chunk headers of a record.
   *
   * @param headers the record's headers
   * @return the chunk header, or empty when the record has none of the four headers
   * @throws BadMessageException if some but not all are present, or one is malformed
   */
  public static Optional<ChunkHeader> read(Headers headers) {
    String id = last(headers, MESSAGE_ID);
    String position = last(headers, CHUNK);
    String total = last(headers, TOTAL_BYTES);
    String sha = last(headers, SHA256);
    if (id == null && position == null && total == null && sha == null) {
      return Optional.empty();
    }
    if (id == null || position == null || total == null || sha == null) {
      throw new BadMessageException("chunk headers", "a chunk needs all of " + MESSAGE_ID + ", "
          + CHUNK + ", " + TOTAL_BYTES + " and " + SHA256 + "; this record has only some");
    }
    Matcher m = POSITION.matcher(position);
    if (!m.matches()) {
      throw new BadMessageException(CHUNK, "'" + position + "' is not of the form i/n");
    }
    try {
      return Optional.of(new ChunkHeader(id, Integer.parseInt(m.group(1)) - 1,
          Integer.parseInt(m.group(2)), Long.parseLong(total), sha));
    } catch (IllegalArgumentException e) {
      throw new BadMessageException("chunk headers of message " + id, e.getMessage());
    }
  }

  private static String last(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the wire form of the position, e.g. {@code 2/3}. */
  public String position() {
    return (index + 1) + "/" + count;
  }
}
