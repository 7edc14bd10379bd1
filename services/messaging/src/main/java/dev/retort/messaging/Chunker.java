package dev.retort.messaging;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Splits a value too large for one record into chunks of at most {@code maxChunkBytes}.
 *
 * <p>A value of at most {@code maxChunkBytes} is one chunk without headers, i.e. an ordinary
 * record. A larger one becomes {@code n = ceil(length / maxChunkBytes)} chunks, each with a {@link
 * ChunkHeader}; {@link ChunkedProducer} sends them with the same key, so they land in one
 * partition, in order, and {@link Reassembler} or {@link ChunkFetcher} join them again.
 *
 * <p>The chunk size must leave room below the producer's {@code max.request.size} and the topic's
 * {@code max.message.bytes} for the key, the chunk headers (about 200 bytes), the record and batch
 * overhead (about 100 bytes) and lz4's worst-case growth (0.4 %): {@link #forMaxRequestSize}
 * keeps a sixteenth (64 KiB of 1 MiB) free.
 */
public final class Chunker {
  /** Default chunk size: 960 KiB, for the default 1 MiB {@code max.request.size}. */
  public static final int DEFAULT_MAX_CHUNK_BYTES =
      maxChunkBytesFor(ClientConfigs.DEFAULT_MAX_REQUEST_BYTES);

  private final int maxChunkBytes;

  /**
   * Creates a chunker.
   *
   * @param maxChunkBytes the largest chunk value, at least 1
   */
  public Chunker(int maxChunkBytes) {
    if (maxChunkBytes < 1) {
      throw new IllegalArgumentException("maxChunkBytes must be positive: " + maxChunkBytes);
    }
    this.maxChunkBytes = maxChunkBytes;
  }

  /**
   * Returns a chunker whose chunks fit records of a given {@code max.request.size}.
   *
   * @param maxRequestSize the producer's {@code max.request.size}, at least 16 KiB
   * @return the chunker
   */
  public static Chunker forMaxRequestSize(int maxRequestSize) {
    return new Chunker(maxChunkBytesFor(maxRequestSize));
  }

  private static int maxChunkBytesFor(int maxRequestSize) {
    if (maxRequestSize < 16 * 1024) {
      throw new IllegalArgumentException(
          "max.request.size must be at least 16 KiB to carry chunks: " + maxRequestSize);
    }
    return maxRequestSize - Math.max(1024, maxRequestSize / 16);
  }

  /** Returns the largest chunk value. */
  public int maxChunkBytes() {
    return maxChunkBytes;
  }

  /**
   * Splits a value, with a random message id.
   *
   * @param value the serialized value
   * @return one chunk without header when the value fits, else the chunks in order
   */
  public List<Chunk> split(byte[] value) {
    return split(value, UUID.randomUUID().toString());
  }

  /**
   * Splits a value with a given message id.
   *
   * @param value the serialized value
   * @param messageId the id the chunks carry (unused when the value fits)
   * @return one chunk without header when the value fits, else the chunks in order
   */
  public List<Chunk> split(byte[] value, String messageId) {
    if (value.length <= maxChunkBytes) {
      return List.of(new Chunk(value, Optional.empty()));
    }
    int count = (int) ((value.length + (long) maxChunkBytes - 1) / maxChunkBytes);
    String sha = ChunkHeader.hex(sha256().digest(value));
    List<Chunk> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * maxChunkBytes;
      int to = Math.min(value.length, from + maxChunkBytes);
      chunks.add(new Chunk(Arrays.copyOfRange(value, from, to),
          Optional.of(new ChunkHeader(messageId, i, count, value.length, sha))));
    }
    return chunks;
  }

  /** Returns a new SHA-256 digest. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * One record's worth of a value.
   *
   * @param value the bytes of this chunk
   * @param header the chunk header; empty when the value was not split
   */
  public record Chunk(byte[] value, Optional<ChunkHeader> header) {}
}
