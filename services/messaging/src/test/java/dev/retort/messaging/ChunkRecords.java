package dev.retort.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builds consumer records of chunks for tests that need no broker. */
final class ChunkRecords {
  static final String TOPIC = "t";

  private ChunkRecords() {}

  /** Returns the chunks of a value as records at consecutive offsets of partition 0. */
  static List<ConsumerRecord<String, byte[]>> of(List<Chunker.Chunk> chunks, long firstOffset) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    for (Chunker.Chunk c : chunks) {
      out.add(record(firstOffset + out.size(), c));
    }
    return out;
  }

  /** Returns one chunk as a record at an offset of partition 0. */
  static ConsumerRecord<String, byte[]> record(long offset, Chunker.Chunk chunk) {
    return record(0, offset, chunk.value(), chunk);
  }

  /** Returns a record with the headers of a chunk and any value. */
  static ConsumerRecord<String, byte[]> record(int partition, long offset, byte[] value,
      Chunker.Chunk chunk) {
    RecordHeaders headers = new RecordHeaders();
    chunk.header().ifPresent(h -> h.writeTo(headers));
    return new ConsumerRecord<>(TOPIC, partition, offset, 0L, TimestampType.CREATE_TIME,
        1, value.length, "k", value, headers, Optional.empty());
  }
}
