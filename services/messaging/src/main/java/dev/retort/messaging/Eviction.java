package dev.retort.messaging;

import org.apache.kafka.common.TopicPartition;

/**
 * An incomplete message that {@link Reassembler} gave up on.
 *
 * <p>Not an error of the record itself: the message was too old, the reassembler was full, or
 * its first chunk was never seen (the consumer started inside it, or retention deleted its
 * start). Whoever waited for it computes or requests it again.
 *
 * @param messageId the chunks' message id
 * @param key the record key
 * @param partition where the chunks are
 * @param firstOffset the offset of the first chunk seen
 * @param chunksReceived how many chunks had arrived
 * @param chunks how many the message has
 * @param reason why it was given up
 */
public record Eviction(String messageId, String key, TopicPartition partition, long firstOffset,
    int chunksReceived, int chunks, String reason) {}
