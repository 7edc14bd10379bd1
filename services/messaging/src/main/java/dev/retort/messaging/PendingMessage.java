package dev.retort.messaging;

import java.security.MessageDigest;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * One incomplete message of a {@link Reassembler}: its bytes so far, in order, and their running
 * SHA-256.
 */
final class PendingMessage {
  final ChunkHeader header;
  final TopicPartition partition;
  private final String key;
  final long firstOffset;
  final long startedNanos;
  private final byte[] value;
  private final MessageDigest digest = Chunker.sha256();
  private int received;
  private int length;

  PendingMessage(ChunkHeader header, TopicPartition partition, String key, long firstOffset,
      long startedNanos) {
    this.header = header;
    this.partition = partition;
    this.key = key;
    this.firstOffset = firstOffset;
    this.startedNanos = startedNanos;
    this.value = new byte[(int) header.totalBytes()];
  }

  /** Adds a chunk; returns the outcome once the message is whole or broken. */
  Optional<Decoded<Assembled>> add(ChunkHeader h, TopicPartition tp, long offset, byte[] chunk) {
    if (h.index() < received) {
      return Optional.empty(); // a chunk read twice (a re-read after a seek)
    }
    String where = "message " + header.messageId() + " (" + tp + ", first chunk at offset "
        + firstOffset + ")";
    if (h.count() != header.count() || h.totalBytes() != header.totalBytes()
        || !h.sha256().equals(header.sha256()) || !tp.equals(partition)) {
      return fail(where + ": chunk " + h.position() + " at offset " + offset
          + " disagrees with the first chunk about the message", chunk);
    }
    if (h.index() != received) {
      return fail(where + ": chunk " + h.position() + " at offset " + offset + " follows chunk "
          + received + "/" + header.count() + "; the chunks between are missing", chunk);
    }
    if ((long) length + chunk.length > value.length) {
      return fail(where + ": the chunks hold more than the " + value.length
          + " bytes the headers announce", chunk);
    }
    System.arraycopy(chunk, 0, value, length, chunk.length);
    digest.update(chunk);
    length += chunk.length;
    received++;
    if (received < header.count()) {
      return Optional.empty();
    }
    if (length != value.length) {
      return fail(where + ": the chunks hold " + length + " bytes, the headers announce "
          + value.length, chunk);
    }
    String actual = ChunkHeader.hex(digest.digest());
    if (!actual.equals(header.sha256())) {
      return fail(where + ": the SHA-256 of the joined value is " + actual
          + ", the headers announce " + header.sha256() + "; a chunk is corrupted", chunk);
    }
    return Optional.of(Decoded.ok(new Assembled(partition, firstOffset, offset, key,
        header.messageId(), header.count(), value)));
  }

  private static Optional<Decoded<Assembled>> fail(String reason, byte[] chunk) {
    return Optional.of(Decoded.failed(reason, chunk));
  }

  Eviction eviction(String reason) {
    return new Eviction(header.messageId(), key, partition, firstOffset, received,
        header.count(), reason);
  }
}
