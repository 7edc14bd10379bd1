package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.run.CheckpointStore;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.ModelDirectory;
import dev.retort.core.run.RunEnvironment;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.train.Checkpoint;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four services as separate processes against a real Kafka broker: a whole tiny job, bad input
 * that lands on the dead-letter topic while every service stays healthy, the distributed run
 * training exactly the in-process run's student, a later job replaying the teacher pass, the
 * Grafana dashboards querying only metrics the services export, and a service configured by the
 * Kubernetes ConfigMap's file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {
  private static LocalPlatform platform;
  private static PlatformClient client;
  private static PlatformOptions options;
  private static Path data;

  @BeforeAll
  static void start() throws Exception {
    options = Platforms.options("platform");
    data = options.artifacts().resolve("data");
    platform = Platforms.start(options);
    client = PlatformClient.connect(platform.bootstrap(), options.stateDir());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  static ConfigValues parse(String yaml) {
    return new JobParser(JobSchema.root()).parse(yaml, "it.yaml");
  }

  private static void assertAllReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (var e : platform.ports().entrySet()) {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.getValue() + "/q/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(e.getKey() + " ready: " + r.body()).isEqualTo(200);
    }
  }

  @Test
  @Order(1)
  void malformedRequestEndsOnTheDeadLetterTopicAndServicesStayHealthy() throws Exception {
    try (var p = new KafkaProducer<>(ClientConfigs.producer(platform.bootstrap(), "it", Map.of()), new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(Topics.JOB_REQUESTS, "garbage-1", "{not json".getBytes())).get();
      p.send(new ProducerRecord<>(Topics.TEACHER_REQUESTS, "garbage-2", new byte[] {8, 1, 18, 3})).get();
      p.send(new ProducerRecord<>(Topics.LOSS_REQUESTS, "garbage-3", new byte[] {(byte) 0xff})).get();
      p.send(new ProducerRecord<>(Topics.CHECKPOINTS, "garbage-4", new byte[] {1, 2, 3})).get();
    }
    ProtoSerde<DeadLetter> serde = ProtoSerde.of(DeadLetter.getDefaultInstance());
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (var reader = client.fromStart(Topics.DEAD_LETTERS)) {
      reader.read(r -> serde.decode(r.value()).toOptional().ifPresent(d -> {
        if (r.key() != null && r.key().startsWith("garbage-")) {
          assertThat(d.getReason()).isNotBlank();
          seen.add(d.getSourceTopic());
        }
      }), () -> seen.size() == 4, Duration.ofSeconds(90));
    }
    assertThat(seen).containsExactlyInAnyOrder(Topics.JOB_REQUESTS, Topics.TEACHER_REQUESTS, Topics.LOSS_REQUESTS, Topics.CHECKPOINTS);
    assertAllReady();
  }

  @Test
  @Order(2)
  void tinyJobRunsThroughAllFourServicesAndFinishesWithATable() throws Exception {
    ConfigValues job = parse(Platforms.tinyJob(data, ""));
    client.submit("it-full", job.explicitTree());
    JobEvent end = Platforms.awaitFinished(platform, client, "it-full", Duration.ofMinutes(8));
    var s = end.getFinished().getSummary();
    assertThat(s.getMetric()).isEqualTo("acc");
    assertThat(s.getTeacherParameters()).isGreaterThan(s.getStudentParameters());
    assertThat(s.getStudentLatencyMs()).isPositive();
    Path export = platform.artifacts().resolve(end.getFinished().getExportPath());
    assertThat(ModelDirectory.isModelDirectory(export)).as(export.toString()).isTrue();
    assertAllReady();
  }

  @Test
  @Order(3)
  void distributedRunTrainsTheSameStudentAsTheInProcessRun() throws Exception {
    // In-process, same job and seed (teacher outputs in fp32, the default of the tiny job).
    Path local = options.artifacts().resolveSibling("in-process");
    ConfigValues job = parse(Platforms.tinyJob(data, "output: {dir: " + local + ", export: false}"));
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(job, "it-full");
    Checkpoint a = new CheckpointStore(local.resolve("student/checkpoints"), 2).latest().orElseThrow();
    Checkpoint b = new CheckpointStore(platform.artifacts().resolve("jobs/it-full/student/checkpoints"), 2).latest().orElseThrow();
    assertThat(b.state().step()).isEqualTo(a.state().step());
    double worst = 0;
    for (String n : a.model().names()) {
      HostTensor x = a.model().get(n);
      HostTensor y = b.model().get(n);
      float[] fx = x.toFloats();
      float[] fy = y.toFloats();
      for (int i = 0; i < fx.length; i++) {
        worst = Math.max(worst, Math.abs(fx[i] - fy[i]));
      }
    }
    assertThat(worst).as("largest |in-process - distributed| weight difference").isLessThanOrEqualTo(1e-5);
    // The EMD layer weights (doubles, stored bit for bit) follow the same distances, so they agree
    // to the same tolerance. Bit-equality is not expected: the teacher service runs libtorch with its
    // own thread count, and a GEMM split over other threads sums in another order.
    for (String n : a.method().names()) {
      long[] x = a.method().get(n).toLongs();
      long[] y = b.method().get(n).toLongs();
      for (int i = 0; i < x.length; i++) {
        assertThat(Double.longBitsToDouble(y[i])).as("EMD layer weight " + n + "[" + i + "]")
            .isCloseTo(Double.longBitsToDouble(x[i]), org.assertj.core.api.Assertions.within(1e-5));
      }
    }
  }

  @Test
  @Order(4)
  void laterJobOfTheSamePassReplaysTeacherOutputsFromTheLog() throws Exception {
    Path teacher = platform.artifacts().resolve("jobs/it-full/teacher/best");
    String extra = "";
    String yaml = Platforms.tinyJob(data, extra)
        .replace("model: preset:tiny\n  finetune: true", "model: checkpoint:" + teacher + "\n  finetune: false");
    ConfigValues first = parse(yaml);
    client.submit("it-pass-1", first.explicitTree());
    Platforms.awaitFinished(platform, client, "it-pass-1", Duration.ofMinutes(6));
    long computedBefore = Metrics.sum(platform, "trainer", "retort_trainer_teacher_outputs_total", "source=\"computed\"");
    client.submit("it-pass-2", first.explicitTree());
    Platforms.awaitFinished(platform, client, "it-pass-2", Duration.ofMinutes(6));
    // The trainer counts a job's outputs when the job closes, just after the evaluator's event.
    long replayed = 0;
    for (int i = 0; i < 50 && replayed == 0; i++) {
      replayed = Metrics.sum(platform, "trainer", "retort_trainer_teacher_outputs_total", "source=\"replayed\"");
      Thread.sleep(200);
    }
    long computedAfter = Metrics.sum(platform, "trainer", "retort_trainer_teacher_outputs_total", "source=\"computed\"");
    assertThat(replayed).as("outputs replayed from the log by the second job (and later epochs)").isPositive();
    assertThat(computedAfter).as("the second job made the teacher compute nothing new").isEqualTo(computedBefore);
  }

  @Test
  @Order(5)
  void dashboardsQueryOnlyMetricNamesTheRunningServicesExport() throws Exception {
    // An HRKD job too, so that the loss service has exported its graph gauges.
    String hrkd = Platforms.tinyJob(data, "").replace("method: bert-emd", "method: hrkd");
    client.submit("it-hrkd", parse(hrkd).explicitTree());
    JobEvent end = Platforms.awaitFinished(platform, client, "it-hrkd", Duration.ofMinutes(6));
    java.util.Set<String> exported = new java.util.TreeSet<>();
    for (String service : LocalPlatform.SERVICES) {
      exported.addAll(Dashboards.exportedNames(Metrics.scrape(platform, service)));
    }
    var queried = Dashboards.queriedMetrics(dev.retort.cli.platform.Home.root().resolve("grafana/dashboards"));
    assertThat(queried).as("metric names in the dashboards").hasSizeGreaterThan(40);
    java.util.Map<String, java.util.Set<String>> missing = new java.util.TreeMap<>(queried);
    missing.keySet().removeAll(exported);
    assertThat(missing).as("dashboard metrics that no service exports (name -> where it is used)").isEmpty();
  }

  @Test
  @Order(6)
  void aServiceStartsWithTheKubernetesConfigMapFileInItsWorkingDirectory() throws Exception {
    // deploy/base/loss/application.properties is the ConfigMap's file, mounted on Kubernetes at
    // <working dir>/config/application.properties. Only the cluster addresses are replaced; the
    // service must read the file (ordinal 260, above the packaged %prod values) to find the broker
    // and must accept every key in it to start at all.
    Path root = dev.retort.cli.platform.Home.root();
    String file = java.nio.file.Files.readString(root.resolve("deploy/base/loss/application.properties"))
        .replaceAll("(?m)^kafka\\.bootstrap\\.servers=.*$", "kafka.bootstrap.servers=" + platform.bootstrap())
        .replaceAll("(?m)^retort\\.artifacts\\.root=.*$", "retort.artifacts.root=" + platform.artifacts());
    Path work = options.stateDir().resolve("work/loss-configmap");
    java.nio.file.Files.createDirectories(work.resolve("config"));
    java.nio.file.Files.writeString(work.resolve("config/application.properties"), file);
    var spec = dev.retort.stack.ServiceSpec.builder()
        .setName("loss-configmap")
        .setJar(options.serviceJar("loss"))
        .optJvmOptions("-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1")
        .optEnv("DJL_CACHE_DIR", root.resolve("target/djl-cache").toString())
        .optEnv("ENGINE_CACHE_DIR", root.resolve("target/djl-cache").toString())
        .optWorkDir(work)
        .optHttpPort(0)
        .optStartTimeout(Duration.ofMinutes(2))
        .build();
    var process = platform.stack().startService(spec);
    try {
      int port = process.ports().values().stream().findFirst().orElseThrow();
      var r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("ready with the broker named only in the file: " + r.body()).isEqualTo(200);
    } finally {
      platform.stack().stop("loss-configmap");
    }
  }
}
