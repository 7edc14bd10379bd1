package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobControl;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every topic the services consume. Every named case (random and truncated bytes,
 * wrong schema versions, unknown enums, absurd and mismatched shapes, NaN/Inf tensors, paths out of
 * the store, impossible jobs) must come back as a dead letter with a reason or a rejected event;
 * random mutations must too unless they happen to still be well-formed messages. No service dies or
 * stops being ready, and a valid job submitted afterwards completes. In CI every case runs once per
 * topic plus a few mutations; with -Dnightly=true each topic gets 1,000 messages.
 */
class FuzzIT {

  @Test
  void hostileMessagesAreDeadLetteredAndAValidJobStillCompletes() throws Exception {
    boolean nightly = Boolean.getBoolean("retort.nightly");
    List<HostileMessages.Hostile> hostile = HostileMessages.all(nightly ? 1000 : 24, 20261121L);
    PlatformOptions options = Platforms.options("fuzz");
    try (LocalPlatform platform = Platforms.start(options);
        PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir())) {
      Map<String, HostileMessages.Hostile> byKey = new HashMap<>();
      try (var p = new KafkaProducer<>(ClientConfigs.producer(platform.bootstrap(), "fuzz", Map.of()), new StringSerializer(), new ByteArraySerializer())) {
        int n = 0;
        for (var h : hostile) {
          String key = "fuzz-" + (n++);
          byKey.put(key, h);
          p.send(new ProducerRecord<>(h.topic(), key, h.value()));
        }
        p.flush();
      }
      Set<String> answered = new HashSet<>();
      ProtoSerde<DeadLetter> dl = ProtoSerde.of(DeadLetter.getDefaultInstance());
      ProtoSerde<JobEvent> ev = ProtoSerde.of(JobEvent.getDefaultInstance());
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(nightly ? 20 : 4).toMillis();
      while (System.currentTimeMillis() < deadline && !allAnswered(byKey, answered)) {
        try (var r = client.fromStart(Topics.DEAD_LETTERS)) {
          r.drain(rec -> dl.decode(rec.value()).toOptional().ifPresent(d -> {
            assertThat(d.getReason()).as("dead letter of " + rec.key()).isNotBlank();
            answered.add(rec.key());
          }), k -> k != null && k.startsWith("fuzz-"));
        }
        try (var r = client.fromStart(Topics.JOB_EVENTS)) {
          r.drain(rec -> ev.decode(rec.value()).toOptional().filter(JobEvent::hasRejected).ifPresent(e -> answered.add(e.getJobId())), k -> true);
        }
        Thread.sleep(2000);
      }
      List<String> unanswered = new java.util.ArrayList<>();
      for (var e : byKey.entrySet()) {
        var h = e.getValue();
        boolean handled = answered.contains(e.getKey()) || jobIdRejected(h, answered);
        if (!handled && mustBeAnswered(h)) {
          unanswered.add(h.topic() + " " + h.kase() + " (" + e.getKey() + ")");
        }
      }
      assertThat(unanswered).as("hostile messages that got no dead letter or rejected event").isEmpty();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (var s : platform.ports().entrySet()) {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getValue() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(s.getKey() + " ready after the fuzzing: " + r.body()).isEqualTo(200);
      }
      String yaml = Platforms.tinyJob(options.artifacts().resolve("data"), "");
      client.submit("after-fuzz", new JobParser(JobSchema.root()).parse(yaml, "it.yaml").explicitTree());
      Platforms.awaitFinished(platform, client, "after-fuzz", Duration.ofMinutes(8));
    }
  }

  /**
   * Whether every message that must be answered was: the wait ends on exactly what the test
   * asserts. (It used to leave the mutations out, so it could end while the loss service was still
   * dead-lettering malformed ones, and the assertion then failed.)
   */
  private static boolean allAnswered(Map<String, HostileMessages.Hostile> byKey, Set<String> answered) {
    return byKey.entrySet().stream().filter(e -> mustBeAnswered(e.getValue()))
        .allMatch(e -> answered.contains(e.getKey()) || jobIdRejected(e.getValue(), answered));
  }

  /** A hostile message must be answered unless it is a mutation that still decodes as valid. */
  private static boolean mustBeAnswered(HostileMessages.Hostile h) {
    return !h.kase().startsWith("mutation-") || !wellFormed(h);
  }

  /** A job request that parses is answered under its job id rather than its record key. */
  private static boolean jobIdRejected(HostileMessages.Hostile h, Set<String> answered) {
    if (!h.topic().equals(Topics.JOB_REQUESTS)) {
      return false;
    }
    var d = TrainingRequests.decode(h.value());
    return d.isOk() && answered.contains(d.value().getJobId());
  }

  /** Whether a mutated message still decodes as a valid message of its topic (so it is not malformed). */
  private static boolean wellFormed(HostileMessages.Hostile h) {
    return switch (h.topic()) {
      case Topics.JOB_REQUESTS -> TrainingRequests.decode(h.value()).isOk();
      case Topics.JOB_CONTROL -> ProtoSerde.of(JobControl.getDefaultInstance()).decode(h.value()).isOk();
      case Topics.TEACHER_REQUESTS -> ProtoSerde.of(TeacherRequest.getDefaultInstance()).decode(h.value()).isOk();
      case Topics.TEACHER_INDEX -> ProtoSerde.of(TeacherOutputLocation.getDefaultInstance()).decode(h.value()).isOk();
      case Topics.LOSS_REQUESTS -> ProtoSerde.of(LossRequest.getDefaultInstance()).decode(h.value()).isOk();
      case Topics.LOSS_REPLIES -> ProtoSerde.of(LossReply.getDefaultInstance()).decode(h.value()).isOk();
      case Topics.CHECKPOINTS -> ProtoSerde.of(CheckpointReady.getDefaultInstance()).decode(h.value()).isOk();
      default -> false;
    };
  }
}
