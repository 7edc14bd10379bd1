package dev.retort.messaging;

import dev.retort.stack.TopicSpec;
import dev.retort.stack.TopicSpec.CleanupPolicy;
import java.util.List;

/**
 * The names of retort's topics, and how each is created.
 *
 * <p>Every name follows {@code retort.<area>.<name>.v1}; a change of a topic's record format that
 * old readers cannot skip gets a new topic ({@code .v2}), not a new meaning for the old one.
 *
 * <table>
 *   <caption>Topics, keys and values</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th><th>partitions</th></tr>
 *   <tr><td>{@value #JOB_REQUESTS}</td><td>job id</td><td>TrainingRequest (binary or JSON)</td>
 *       <td>8</td></tr>
 *   <tr><td>{@value #JOB_EVENTS}</td><td>job id</td><td>JobEvent</td><td>4</td></tr>
 *   <tr><td>{@value #JOB_CONTROL}</td><td>job id</td><td>JobControl</td><td>4</td></tr>
 *   <tr><td>{@value #TEACHER_REQUESTS}</td><td>{@code <job id>/<request number ÷ 8>}: a job's
 *       requests in order, 8 to a partition</td><td>TeacherRequest</td><td>8</td></tr>
 *   <tr><td>{@value #TEACHER_OUTPUTS}</td><td>{@code <pass id>/<batch index>}</td>
 *       <td>TeacherOutput, chunked ({@link Chunker})</td><td>8</td></tr>
 *   <tr><td>{@value #TEACHER_INDEX}</td><td>{@code <pass id>/<batch index>}</td>
 *       <td>TeacherOutputLocation (compacted)</td><td>4</td></tr>
 *   <tr><td>{@value #LOSS_REQUESTS}</td><td>job id</td><td>LossRequest</td><td>8</td></tr>
 *   <tr><td>{@value #LOSS_REPLIES}</td><td>job id</td><td>LossReply</td><td>8</td></tr>
 *   <tr><td>{@value #CHECKPOINTS}</td><td>job id</td><td>CheckpointReady</td><td>4</td></tr>
 *   <tr><td>{@value #EVAL_RESULTS}</td><td>job id</td><td>EvaluationResult</td><td>4</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}</td><td>the original key</td><td>DeadLetter</td><td>4</td></tr>
 * </table>
 */
public final class Topics {
  /** Training requests from users and the CLI; key = job id. */
  public static final String JOB_REQUESTS = "retort.jobs.requests.v1";
  /** What happens to jobs; key = job id. */
  public static final String JOB_EVENTS = "retort.jobs.events.v1";
  /** Commands to running jobs (cancel); key = job id. */
  public static final String JOB_CONTROL = "retort.jobs.control.v1";
  /** Requests for teacher outputs of one batch; key = {@code <pass id>/<batch index>}. */
  public static final String TEACHER_REQUESTS = "retort.teacher.requests.v1";
  /** Teacher outputs, chunked when large; key = {@code <pass id>/<batch index>}. */
  public static final String TEACHER_OUTPUTS = "retort.teacher.outputs.v1";
  /** Compacted: where each teacher output sits in the log; key = {@code <pass id>/<batch>}. */
  public static final String TEACHER_INDEX = "retort.teacher.index.v1";
  /** Requests to the loss service; key = job id. */
  public static final String LOSS_REQUESTS = "retort.loss.requests.v1";
  /** Replies of the loss service; key = job id. */
  public static final String LOSS_REPLIES = "retort.loss.replies.v1";
  /** Checkpoints the evaluator should score; key = job id. */
  public static final String CHECKPOINTS = "retort.checkpoints.v1";
  /** The evaluator's results; key = job id. */
  public static final String EVAL_RESULTS = "retort.eval.results.v1";
  /** Records some service could not process, with the reason; key = the original key. */
  public static final String DEAD_LETTERS = "retort.deadletter.v1";

  /** Partitions of the busy topics: parallelism for up to 8 replicas of a service. */
  public static final int WIDE_PARTITIONS = 8;
  /** Partitions of the low-volume topics. */
  public static final int NARROW_PARTITIONS = 4;

  private Topics() {}

  /** Returns every topic name, in the order of {@link #specs}. */
  public static List<String> all() {
    return List.of(JOB_REQUESTS, JOB_EVENTS, JOB_CONTROL, TEACHER_REQUESTS, TEACHER_OUTPUTS,
        TEACHER_INDEX, LOSS_REQUESTS, LOSS_REPLIES, CHECKPOINTS, EVAL_RESULTS, DEAD_LETTERS);
  }

  /**
   * Returns the key of a teacher request, output and index entry.
   *
   * @param passId the teacher pass
   * @param batchIndex the batch within the pass
   * @return {@code <pass id>/<batch index>}
   */
  public static String teacherKey(String passId, long batchIndex) {
    return passId + "/" + batchIndex;
  }

  /**
   * Returns how to create every topic.
   *
   * <p>Teacher outputs keep {@link TopicSettings#teacherOutputRetention()} (later epochs and jobs
   * replay them from the log; once deleted they are computed again). The index is compacted: the
   * latest location per batch is kept. Dead letters keep {@link
   * TopicSettings#deadLetterRetention()}. The other topics take the broker's retention. Every
   * topic gets {@link TopicSettings#maxMessageBytes()}.
   *
   * @param settings the configurable parts
   * @return one spec per topic, in the order of {@link #all()}
   */
  public static List<TopicSpec> specs(TopicSettings settings) {
    return List.of(
        plain(JOB_REQUESTS, WIDE_PARTITIONS, settings),
        plain(JOB_EVENTS, NARROW_PARTITIONS, settings),
        plain(JOB_CONTROL, NARROW_PARTITIONS, settings),
        plain(TEACHER_REQUESTS, WIDE_PARTITIONS, settings),
        base(TEACHER_OUTPUTS, WIDE_PARTITIONS, settings)
            .optRetentionMs(settings.teacherOutputRetention().toMillis()).build(),
        base(TEACHER_INDEX, NARROW_PARTITIONS, settings)
            .optCleanupPolicy(CleanupPolicy.COMPACT).build(),
        plain(LOSS_REQUESTS, WIDE_PARTITIONS, settings),
        plain(LOSS_REPLIES, WIDE_PARTITIONS, settings),
        plain(CHECKPOINTS, NARROW_PARTITIONS, settings),
        plain(EVAL_RESULTS, NARROW_PARTITIONS, settings),
        base(DEAD_LETTERS, NARROW_PARTITIONS, settings)
            .optRetentionMs(settings.deadLetterRetention().toMillis()).build());
  }

  private static TopicSpec plain(String name, int partitions, TopicSettings settings) {
    return base(name, partitions, settings).build();
  }

  private static TopicSpec.Builder base(String name, int partitions, TopicSettings settings) {
    return TopicSpec.builder()
        .setName(name)
        .optPartitions(partitions)
        .optMaxMessageBytes(settings.maxMessageBytes());
  }
}
