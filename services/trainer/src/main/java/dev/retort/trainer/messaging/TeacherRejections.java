package dev.retort.trainer.messaging;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.trainer.remote.BatchKeys;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead letters of teacher requests, from now on, and hands each rejection to the
 * {@link TeacherIndexView}, so that a step waiting for an output the teacher will never compute
 * (a teacher it cannot load, a forward pass that failed) fails at once with the teacher's reason
 * instead of after the teacher timeout.
 *
 * <p>A dead letter is keyed by the request's record key (a job's run of requests), not by the
 * batch; the batch is read from the request it carries. The teacher keeps at most its
 * {@code dead-letter.max-bytes} of the request, so the pass and batch (fields 2 and 3, written
 * before the tensors) are read from a possibly truncated copy.
 */
public final class TeacherRejections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherRejections.class);
  private static final ProtoSerde<DeadLetter> SERDE = ProtoSerde.of(DeadLetter.getDefaultInstance());

  private final TopicTail tail;

  /**
   * Starts reading the dead letters written from now on.
   *
   * @param clients the client factory
   * @param index where rejections go
   */
  public TeacherRejections(KafkaClients clients, TeacherIndexView index) {
    this.tail = new TopicTail(clients.assignedConsumer("teacher-rejections"), Topics.DEAD_LETTERS,
        TopicTail.Start.END, r -> accept(r, index), "teacher-rejections");
  }

  private static void accept(ConsumerRecord<String, byte[]> record, TeacherIndexView index) {
    var decoded = SERDE.decode(record.value());
    if (!decoded.isOk() || !Topics.TEACHER_REQUESTS.equals(decoded.value().getSourceTopic())) {
      return; // another service's dead letter, or not one at all: not this reader's business
    }
    DeadLetter letter = decoded.value();
    Optional<String> key =
        outputKey(letter.getValue().toByteArray(), letter.getValueTruncated());
    if (key.isEmpty()) {
      LOG.warn("A teacher request was dead-lettered ({}), but its pass and batch cannot be read "
          + "from the dead letter at {}-{}@{}", letter.getReason(), record.topic(),
          record.partition(), record.offset());
      return;
    }
    LOG.info("The teacher rejected {}: {}", key.get(), letter.getReason());
    index.rejected(key.get(), letter.getReason());
  }

  /**
   * Returns the index key of a teacher request's output: its pass id and batch index, read from
   * the start of its encoding, which may be cut anywhere after them.
   *
   * @param request the request's bytes, perhaps truncated
   * @param truncated whether the dead letter says the copy was cut
   * @return the key, if both fields were read
   */
  static Optional<String> outputKey(byte[] request, boolean truncated) {
    CodedInputStream in = CodedInputStream.newInstance(request);
    String passId = null;
    Long batch = null;
    try {
      while (passId == null || batch == null) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        switch (WireFormat.getTagFieldNumber(tag)) {
          case TeacherRequest.PASS_ID_FIELD_NUMBER -> passId = in.readString();
          case TeacherRequest.BATCH_INDEX_FIELD_NUMBER -> batch = in.readInt64();
          default -> in.skipField(tag);
        }
      }
    } catch (IOException e) {
      // Cut off in the middle of a field: what was read before it is whole.
    }
    if (batch == null && !truncated) {
      batch = 0L; // proto3 leaves a zero out; only a copy known to be whole shows that it is zero
    }
    return passId != null && batch != null
        ? Optional.of(BatchKeys.key(passId, batch)) : Optional.empty();
  }

  /** Returns whether the reading thread is alive. */
  public boolean alive() {
    return tail.alive();
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    tail.close();
  }
}
