package dev.retort.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.retort.core.RetortException;
import dev.retort.proto.v1.TrainingRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads, checks and writes training requests, the values of {@value Topics#JOB_REQUESTS}.
 *
 * <p>A request is binary protobuf or protobuf-JSON, so any Kafka client can submit a job: a value
 * whose first byte other than whitespace (or a UTF-8 byte-order mark) is <code>{</code> is read as
 * JSON (field names in lowerCamelCase or as in the .proto file; enum values by name), anything
 * else as binary. The two cannot be confused: a binary request starts with the tag byte of one of
 * its fields, and no TrainingRequest field has <code>{</code> or a whitespace byte as its tag. The
 * key is the job id. One request per line, as {@code kafka-console-producer} sends them:
 *
 * <pre>{@code
 * {"schemaVersion":"SCHEMA_VERSION_1","jobId":"demo-1","job":{"task":{"format":"sample"},
 *  "teacher":{"model":"all-minilm-l6-v2"},"student":{"preset":"tiny"},
 *  "distill":{"method":"bert-emd"}}}
 * }</pre>
 *
 * <p>(written on one line). A request is valid when its schema version is {@code
 * SCHEMA_VERSION_1}, its job id matches <code>[a-z0-9][a-z0-9._-]{0,62}</code> and its job is not
 * empty; the job's keys are checked later, by the trainer, against the job schema.
 */
public final class TrainingRequests {
  /** Legal job ids: lower case, digits, dot, dash and underscore, up to 63 characters. */
  public static final Pattern JOB_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private TrainingRequests() {}

  /**
   * Returns a request for a job tree, with the schema version, the job id and the time set.
   *
   * @param jobId the job id
   * @param job the job file's content, e.g. a parsed YAML document
   * @param clock the clock of {@code submitted_at}
   * @return a builder (set {@code submitted_by} before building)
   * @throws RetortException if the job id is not legal or a job value has no JSON form
   */
  public static TrainingRequest.Builder builder(String jobId, Map<String, ?> job, Clock clock) {
    checkJobId(jobId);
    if (job.isEmpty()) {
      throw new RetortException("job", "the job is empty", "Give at least teacher.model");
    }
    return TrainingRequest.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId(jobId)
        .setJob(Structs.fromMap(job))
        .setSubmittedAt(ProtoTimes.now(clock));
  }

  /**
   * Checks a job id.
   *
   * @param jobId the id
   * @throws BadMessageException if it does not match {@link #JOB_ID}
   */
  public static void checkJobId(String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new BadMessageException("jobId", "'" + jobId + "' is not a legal job id",
          "Use 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or "
              + "digit, e.g. demo-1");
    }
  }

  /**
   * Reads and checks a request.
   *
   * @param bytes the record value, binary or JSON
   * @return the request
   * @throws BadMessageException saying what is wrong and how to fix it
   */
  public static TrainingRequest parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new BadMessageException("request", "the record has no value",
          "Send a TrainingRequest as binary protobuf or protobuf-JSON");
    }
    TrainingRequest request = isJson(bytes) ? parseJson(bytes) : parseBinary(bytes);
    validate(request);
    return request;
  }

  /**
   * Reads and checks a request without throwing.
   *
   * @param bytes the record value, binary or JSON
   * @return the request, or the reason it was rejected (with its fix)
   */
  public static Decoded<TrainingRequest> decode(byte[] bytes) {
    try {
      return Decoded.ok(parse(bytes));
    } catch (BadMessageException e) {
      return Decoded.failed(e.getMessage(), bytes);
    }
  }

  /**
   * Checks a request: schema version, job id and a non-empty job.
   *
   * @param request the request
   * @throws BadMessageException saying what is wrong and how to fix it
   */
  public static void validate(TrainingRequest request) {
    SchemaVersions.problem(request).ifPresent(problem -> {
      throw new BadMessageException("schemaVersion", problem,
          "Set \"schemaVersion\": \"" + SchemaVersions.CURRENT + "\"");
    });
    checkJobId(request.getJobId());
    if (request.getJob().getFieldsCount() == 0) {
      throw new BadMessageException("job", "the request has no job",
          "Put the job file's content under \"job\", e.g. {\"teacher\": {\"model\": ...}}");
    }
  }

  /**
   * Returns a request as protobuf-JSON on one line.
   *
   * @param request the request
   * @return the JSON text
   */
  public static String toJson(TrainingRequest request) {
    try {
      return PRINTER.print(request);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a TrainingRequest always has a JSON form", e);
    }
  }

  /**
   * Returns whether a value is read as JSON: its first byte other than whitespace or a UTF-8
   * byte-order mark is <code>{</code>.
   *
   * @param bytes the value
   * @return whether it is JSON
   */
  public static boolean isJson(byte[] bytes) {
    int i = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    while (i < bytes.length && isWhitespace(bytes[i])) {
      i++;
    }
    return i < bytes.length && bytes[i] == '{';
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private static TrainingRequest parseJson(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BadMessageException("request", "the JSON is not valid UTF-8",
          "Send the request as UTF-8 text", e);
    }
    TrainingRequest.Builder b = TrainingRequest.newBuilder();
    try {
      JsonFormat.parser().merge(text, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new BadMessageException("request", "the JSON is not a TrainingRequest: "
          + e.getMessage(), "Compare it with the example of the README, \"Submitting a job with "
          + "any Kafka client\"", e);
    }
    return b.build();
  }

  private static TrainingRequest parseBinary(byte[] bytes) {
    try {
      return TrainingRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new BadMessageException("request", "the value (" + bytes.length
          + " bytes) is neither JSON (it does not start with '{') nor a binary TrainingRequest: "
          + e.getMessage(), "Send protobuf-JSON or binary protobuf", e);
    }
  }
}
