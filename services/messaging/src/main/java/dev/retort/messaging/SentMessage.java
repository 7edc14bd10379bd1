package dev.retort.messaging;

import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where a message sent by {@link ChunkedProducer} landed.
 *
 * <p>The teacher index ({@code TeacherOutputLocation}) records {@code first.partition()}, {@code
 * first.offset()}, {@code chunks}, {@code messageId} and {@code bytes}, which is what {@link
 * ChunkFetcher} needs to read the message again.
 *
 * @param first the metadata of the first chunk (or of the only record)
 * @param chunks the number of records; 1 when the value was not split
 * @param messageId the chunks' message id; empty when the value was not split
 * @param bytes the length of the whole value
 */
public record SentMessage(RecordMetadata first, int chunks, String messageId, long bytes) {

  /** Returns the partition of the message. */
  public int partition() {
    return first.partition();
  }

  /** Returns the offset of the first chunk. */
  public long offset() {
    return first.offset();
  }
}
