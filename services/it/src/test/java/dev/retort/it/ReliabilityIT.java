package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.run.CheckpointStore;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.train.Checkpoint;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Crashes and restarts with real processes (kill -9, not a polite shutdown): every service killed in
 * turn in the middle of one job, and the broker restarted in the middle of another; both finish, and
 * the crashed job trains exactly the student of an uninterrupted run. Also: a request published twice
 * runs once, and a cancelled job stops within one step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityIT {
  private static LocalPlatform platform;
  private static PlatformClient client;
  private static PlatformOptions options;
  private static Path data;

  @BeforeAll
  static void start() throws Exception {
    options = Platforms.options("reliability");
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
      // Every service restarted at least once: what they logged is worth a line in the build log.
      System.out.println("ReliabilityIT, at the end: " + Platforms.processReport(platform));
      platform.close();
    }
  }

  static ConfigValues job(String extra) {
    String yaml = Platforms.tinyJob(data, extra).replace("sample-size: 96", "sample-size: 160");
    return new JobParser(JobSchema.root()).parse(yaml, "it.yaml");
  }

  @Test
  @Order(1)
  void everyServiceKilledInTurnMidJobStillGivesTheUninterruptedStudent() throws Exception {
    // The reference run, uninterrupted.
    client.submit("ref", job("").explicitTree());
    Platforms.awaitFinished(platform, client, "ref", Duration.ofMinutes(8));

    // The same job (its own fine-tuned teacher, so its own teacher pass: the teacher really computes
    // again), with kill -9 of the
    // teacher, the loss service, the trainer and the evaluator at successive distillation steps,
    // each restarted at once.
    List<String> victims = new ArrayList<>(List.of("teacher", "loss", "trainer", "evaluator"));
    AtomicInteger nextAt = new AtomicInteger(2);
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    try (var events = client.fromNow(Topics.JOB_EVENTS)) {
      client.submit("crashed", job("").explicitTree());
      JobEvent[] end = new JobEvent[1];
      events.read(r -> {
        if (!"crashed".equals(r.key())) {
          return;
        }
        JobEvent e = serde.decode(r.value()).value();
        if (e.hasProgress() && e.getProgress().getPhase().equals("distill") && !victims.isEmpty()
            && e.getProgress().getStep() >= nextAt.get()) {
          String v = victims.remove(0);
          platform.stack().kill9(v);
          platform.stack().restart(v);
          nextAt.addAndGet(2);
        }
        if (e.hasFinished() || e.hasFailed() || e.hasCancelled()) {
          end[0] = e;
        }
      }, () -> end[0] != null, Duration.ofMinutes(12));
      assertThat(end[0]).as("the crashed job ended").isNotNull();
      assertThat(end[0].hasFinished())
          .as("the crashed job finished: %s\n%s", end[0], Platforms.processReport(platform)).isTrue();
    }
    assertThat(victims).as("every service was killed once").isEmpty();
    Checkpoint ref = last("ref");
    Checkpoint crashed = last("crashed");
    assertThat(crashed.state().step()).isEqualTo(ref.state().step());
    double worst = 0;
    for (String n : ref.model().names()) {
      HostTensor a = ref.model().get(n);
      HostTensor b = crashed.model().get(n);
      if (!a.data().equals(b.data())) {
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        for (int i = 0; i < x.length; i++) {
          worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
      }
    }
    assertThat(worst).as("largest weight difference between the crashed and the uninterrupted run").isLessThanOrEqualTo(1e-6);
  }

  private static Checkpoint last(String job) {
    return new CheckpointStore(platform.artifacts().resolve("jobs").resolve(job).resolve("student/checkpoints"), 2).latest().orElseThrow();
  }

  @Test
  @Order(2)
  void brokerRestartedMidJobAndTheJobStillFinishes() throws Exception {
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    boolean[] restarted = new boolean[1];
    try (var events = client.fromNow(Topics.JOB_EVENTS)) {
      client.submit("broker-restart", job("platform: {teacher-outputs: all}").explicitTree());
      events.read(r -> {
        if ("broker-restart".equals(r.key()) && !restarted[0]) {
          JobEvent e = serde.decode(r.value()).value();
          if (e.hasProgress() && e.getProgress().getPhase().equals("distill") && e.getProgress().getStep() >= 2) {
            platform.stack().kill9("kafka");
            platform.stack().restart("kafka");
            restarted[0] = true;
          }
        }
      }, () -> restarted[0], Duration.ofMinutes(6));
    }
    assertThat(restarted[0]).as("the job reached step 2 and the broker was restarted; %s",
        Platforms.processReport(platform)).isTrue();
    Platforms.awaitFinished(platform, client, "broker-restart", Duration.ofMinutes(8));
  }

  @Test
  @Order(3)
  void requestPublishedTwiceRunsOnce() throws Exception {
    var j = job("").explicitTree();
    client.submit("twice", j);
    client.submit("twice", j);
    Platforms.awaitFinished(platform, client, "twice", Duration.ofMinutes(8));
    // The copy waits behind the first on the same partition, then is recognised and skipped.
    Thread.sleep(5000);
    long accepted = 0;
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    List<JobEvent> all = new ArrayList<>();
    try (var r = client.fromStart(Topics.JOB_EVENTS)) {
      r.drain(rec -> all.add(serde.decode(rec.value()).value()), "twice"::equals);
    }
    accepted = all.stream().filter(JobEvent::hasAccepted).count();
    assertThat(accepted).as("accepted events of a job submitted twice").isEqualTo(1);
    assertThat(all.stream().filter(JobEvent::hasFinished).count()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void cancelStopsTheJobWithinOneStep() throws Exception {
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    long[] cancelledAt = {-1};
    JobEvent[] end = new JobEvent[1];
    long[] lastStep = {-1};
    // Many steps, reported every step.
    try (var events = client.fromNow(Topics.JOB_EVENTS)) {
      String yaml = Platforms.tinyJob(data, "").replace("sample-size: 96", "sample-size: 400")
          .replace("log-every: 2, checkpoint-every: 2", "log-every: 1, checkpoint-every: 50");
      client.submit("cancel-me", new JobParser(JobSchema.root()).parse(yaml, "it.yaml").explicitTree());
      events.read(r -> {
        if (!"cancel-me".equals(r.key())) {
          return;
        }
        JobEvent e = serde.decode(r.value()).value();
        if (e.hasProgress() && e.getProgress().getPhase().equals("distill")) {
          lastStep[0] = e.getProgress().getStep();
          if (cancelledAt[0] < 0 && lastStep[0] >= 2) {
            client.cancel("cancel-me", "test");
            cancelledAt[0] = lastStep[0];
          }
        }
        if (e.hasCancelled() || e.hasFinished() || e.hasFailed()) {
          end[0] = e;
        }
      }, () -> end[0] != null, Duration.ofMinutes(8));
    }
    assertThat(end[0]).isNotNull();
    assertThat(end[0].hasCancelled())
        .as("ended with %s\n%s", end[0], Platforms.processReport(platform)).isTrue();
    assertThat(lastStep[0] - cancelledAt[0]).as("steps run after the cancel was sent").isLessThanOrEqualTo(2);
    // The trainer is free again: a new job runs.
    client.submit("after-cancel", job("").explicitTree());
    Platforms.awaitFinished(platform, client, "after-cancel", Duration.ofMinutes(8));
  }
}
