package dev.retort.messaging;

import org.apache.kafka.common.TopicPartition;

/**
 * A whole message read back by {@link Reassembler}: a record without chunk headers, or the joined
 * chunks of a split one.
 *
 * @param partition where the message is
 * @param firstOffset the offset of its first chunk (what a consumer may commit to re-read it)
 * @param lastOffset the offset of its last chunk
 * @param key the record key
 * @param messageId the chunks' message id; empty for a record that was not split
 * @param chunks the number of records; 1 for a record that was not split
 * @param value the whole value (not copied: do not modify)
 */
public record Assembled(TopicPartition partition, long firstOffset, long lastOffset, String key,
    String messageId, int chunks, byte[] value) {}
