package dev.retort.trainer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.retort.core.RetortException;
import dev.retort.core.engine.NativeHeap;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobPaths;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.run.EfficientBertPretraining;
import dev.retort.core.run.ShapeCheck;
import dev.retort.core.run.JobCancelledException;
import dev.retort.core.run.JobResult;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.Methods;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.run.TeacherMemo;
import dev.retort.core.run.TrainingConfig;
import dev.retort.core.weights.LoadOptions;
import dev.retort.messaging.ChunkFetcher;
import dev.retort.messaging.MatrixCodec;
import dev.retort.messaging.Structs;
import dev.retort.messaging.SummaryTables;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.TrainingRequest;
import dev.retort.trainer.config.TrainerConfig;
import dev.retort.trainer.messaging.KafkaClients;
import dev.retort.trainer.messaging.LossReplies;
import dev.retort.trainer.messaging.TeacherIndexView;
import dev.retort.trainer.metrics.TrainerMetrics;
import dev.retort.trainer.remote.BatchKeys;
import dev.retort.trainer.remote.LossClient;
import dev.retort.trainer.remote.LossMapper;
import dev.retort.trainer.remote.RemoteGraphBackend;
import dev.retort.trainer.remote.RemoteTeacherSource;
import dev.retort.trainer.remote.RemoteTransportBackend;
import dev.retort.trainer.remote.StepThreads;
import dev.retort.trainer.remote.TeacherOutputMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one accepted job: the core's {@link JobRunner} with remote backends (teacher service, loss
 * service, evaluator service), the run directory in the artifact store, and events for every
 * step of its life. Returns the job's terminal status.
 */
public final class JobExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainerConfig config;
  private final KafkaClients clients;
  private final Producer<String, byte[]> producer;
  private final EventPublisher events;
  private final TeacherIndexView index;
  private final LossReplies replies;
  private final TrainerMetrics metrics;
  private final Path root;
  // The last job's teacher, for the next job with the same one (the students of a shared pass):
  // jobs run one at a time on this replica's job worker.
  private final TeacherMemo teacherMemo = TeacherMemo.keepingTheLast();

  /**
   * Creates the executor.
   *
   * @param config trainer settings
   * @param root the artifact store
   * @param clients Kafka client factory
   * @param producer the shared producer
   * @param events publishes job events
   * @param index the teacher index view
   * @param replies loss-service replies
   * @param metrics the trainer's metrics
   */
  public JobExecutor(
      TrainerConfig config, Path root, KafkaClients clients, Producer<String, byte[]> producer, EventPublisher events,
      TeacherIndexView index, LossReplies replies, TrainerMetrics metrics) {
    StepThreads.check(config.replayThreads()); // at start-up, not at the first job
    this.config = config;
    this.clients = clients;
    this.producer = producer;
    this.events = events;
    this.index = index;
    this.replies = replies;
    this.metrics = metrics;
    this.root = root.toAbsolutePath().normalize();
  }

  /** Returns the artifact root. */
  public Path root() {
    return root;
  }

  /** Returns a job's directory. */
  public Path jobDir(String jobId) {
    return root.resolve("jobs").resolve(jobId);
  }

  /**
   * Validates a request's job: the schema, the task's keys, the resource limits, the method's
   * options (stages, terms) and, for attention distillation, the student's and teacher's head
   * counts as far as the job names them.
   *
   * @param request the request
   * @return the parsed job
   * @throws RetortException naming what is wrong
   */
  public ConfigValues validate(TrainingRequest request) {
    String json;
    try {
      json = JsonFormat.printer().print(withoutOutputDir(request.getJob()));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new RetortException("request " + request.getJobId(), "the job cannot be printed as JSON: " + e.getMessage(), "Send a plain JSON object");
    }
    ConfigValues job = new JobParser(JobSchema.root()).parse(json, "request " + request.getJobId());
    JobLimits.check(job, config.limits());
    JobPaths.check(job, paths());
    // The phases' training keys (batch size, accumulation, epochs, learning rate), read as the
    // run reads them, so that an impossible value is rejected now rather than failing the job.
    String method = Methods.method(job);
    TrainingConfig.of(job, "teacher.training", method);
    TrainingConfig.of(job, "distill.training", method);
    EfficientBertPretraining.validate(job);
    // The method's options and the shapes, checked as JobRunner checks them (in this order), but
    // before the job is queued.
    Methods.checkStages(job);
    Methods.checkTerms(job);
    ShapeCheck.check(job, paths());
    return job;
  }

  /** The roots a job may read: the configured data roots and the artifact store. */
  private PathPolicy paths() {
    List<Path> data = new ArrayList<>();
    config.dataRoots().ifPresent(roots -> roots.forEach(r -> data.add(Path.of(r))));
    data.add(root);
    return new PathPolicy(root, data, List.of(root));
  }

  /** The run directory is the job's directory in the artifact store, whatever the job says. */
  private static Struct withoutOutputDir(Struct job) {
    Map<String, Object> tree = Structs.toMap(job);
    Object out = tree.get("output");
    if (out instanceof Map<?, ?> m && m.containsKey("dir")) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, v));
      copy.remove("dir");
      tree = new java.util.LinkedHashMap<>(tree);
      tree.put("output", copy);
    }
    return Structs.fromMap(tree);
  }

  /**
   * Runs a job to a terminal status.
   *
   * @param request the request
   * @param job the validated job
   * @param cancelled polled before every step: the user cancelled the job
   * @param suspended polled before every step: this replica must let go of the job (shutdown,
   *     rebalance); the job checkpoints and another run resumes it
   * @return finished, trained (the evaluator finishes it), failed, cancelled or suspended
   */
  public String run(TrainingRequest request, ConfigValues job, BooleanSupplier cancelled, BooleanSupplier suspended) {
    String id = request.getJobId();
    Path dir = jobDir(id);
    JobState.write(dir, "running", clients.instance(), "");
    metrics.running(1);
    List<AutoCloseable> open = new ArrayList<>();
    // Created on the job's thread, which runs the steps; the job's own count is put back at the end.
    StepThreads threads = StepThreads.onThisThread(id, config.replayThreads());
    try {
      RunEnvironment env = environment(id, job, request.getJob(), () -> cancelled.getAsBoolean() || suspended.getAsBoolean(), threads, open);
      JobResult result = new JobRunner(env).run(job, id);
      if (result.teacher() != null && result.student() != null) {
        // Evaluated here (multi-domain methods): the trainer finishes the job itself.
        events.publish(events.events().finished(id, SummaryTables.of(result), result.export() == null ? "" : root.relativize(result.export()).toString()));
        JobState.write(dir, "finished", clients.instance(), "");
        metrics.job("finished");
        return "finished";
      }
      // The evaluator finishes the job once it has scored the last student checkpoint.
      JobState.write(dir, "trained", clients.instance(), "waiting for the evaluator");
      metrics.job("trained");
      return "trained";
    } catch (JobCancelledException e) {
      if (suspended.getAsBoolean() && !cancelled.getAsBoolean()) {
        return suspended(id, e.getMessage());
      }
      LOG.info("job {} {}", id, e.getMessage());
      events.publish(events.events().cancelled(id, -1, dir.resolve("student").resolve("checkpoints").toString()));
      JobState.write(dir, "cancelled", clients.instance(), e.getMessage());
      metrics.job("cancelled");
      return "cancelled";
    } catch (Throwable e) {
      // Every failure ends here, errors too (an OutOfMemoryError): the job is written failed and
      // its failed event says why, or the request would be committed with state.json "running".
      if (suspended.getAsBoolean() && !cancelled.getAsBoolean() && JobFailures.cancelledWait(e)) {
        // The trainer shuts down: it cancelled the step's wait for the teacher or the loss service.
        return suspended(id, "a wait was cancelled at shutdown (" + e + ")");
      }
      String reason = JobFailures.reason(e, job);
      if (e instanceof RetortException) {
        LOG.warn("job {} failed: {}", id, reason);
      } else {
        LOG.error("job {} failed: {}", id, reason, e);
      }
      events.publish(events.events().failed(id, reason, "student/checkpoints"));
      JobState.write(dir, "failed", clients.instance(), reason);
      metrics.job("failed");
      return "failed";
    } finally {
      metrics.running(-1);
      metrics.ended(id);
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
      threads.restore();
      // The job's models and tensors are closed: their freed pages go back to the system, so a
      // replica that runs job after job keeps the resident size of one (NativeHeap).
      NativeHeap.trim();
      producer.flush();
    }
  }

  /** A job this replica lets go of: its state stays resumable and its request uncommitted. */
  private String suspended(String id, String why) {
    LOG.info("job {} suspended ({}); it resumes from its checkpoint when its request is delivered again", id, why);
    JobState.write(jobDir(id), "running", clients.instance(), "suspended: " + why);
    return "suspended";
  }

  private RunEnvironment environment(
      String id, ConfigValues job, Struct jobStruct, BooleanSupplier cancelled, StepThreads threads, List<AutoCloseable> open) {
    PathPolicy paths = paths();
    LoadOptions load = LoadOptions.builder().optCacheDir(root.resolve("cache"))
        .optHubEnabled(config.hub().enabled()).optHubEndpoint(config.hub().endpoint()).build();
    Duration teacherTimeout = Duration.ofSeconds(job.integer("platform.teacher-timeout-seconds"));
    Duration lossTimeout = Duration.ofSeconds(job.integer("platform.loss-timeout-seconds"));
    DType dtype = switch (job.str("platform.teacher-dtype")) {
      case "fp16" -> DType.DTYPE_FP16;
      case "bf16" -> DType.DTYPE_BF16;
      default -> DType.DTYPE_FP32;
    };
    TeacherOutputMapper outputs = new TeacherOutputMapper(TensorCodec.defaults());
    LossClient loss = new LossClient(id, producer, replies, lossTimeout);
    LossMapper lossMapper = new LossMapper(MatrixCodec.defaults(), TensorCodec.defaults());
    RunEnvironment.TeacherSources teachers = (teacher, selection, dropout, ctx) -> {
      var spec = new RemoteTeacherSource.Spec(
          id, BatchKeys.passId(ctx.passKey()), ctx.teacherRef(), teacher.head().numLabels(), teacher.head().regression(),
          ctx.domain(), selection, TeacherOutputMapper.selection(selection, dtype), dropout);
      ChunkFetcher fetcher = ChunkFetcher.create(clients.bootstrap(), clients.instance() + "-fetch-" + id, clients.overrides(), teacherTimeout);
      var source = new RemoteTeacherSource(spec, producer, index, fetcher, outputs, teacherTimeout, threads);
      open.add(() -> {
        long[] c = source.counts();
        metrics.teacherOutputs("replayed", c[0]);
        metrics.teacherOutputs("computed", c[1]);
      });
      return source;
    };
    var progress = new ProgressPublisher(id, Methods.method(job), events, metrics, root);
    return new RunEnvironment(
        paths, load, root.resolve("jobs"), teachers,
        rule -> new RemoteTransportBackend(loss, lossMapper, rule),
        opts -> new RemoteGraphBackend(loss, lossMapper, opts),
        List.of(progress), cancelled,
        new KafkaEvaluations(id, jobStruct, root, producer),
        d -> "checkpoint:" + root.relativize(d.toAbsolutePath().normalize()),
        teacherMemo);
  }

  /** Returns the topic name a request's dead letter refers to. */
  static String requestsTopic() {
    return Topics.JOB_REQUESTS;
  }
}
