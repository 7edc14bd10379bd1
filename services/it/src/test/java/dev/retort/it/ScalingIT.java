package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Two teacher replicas share one job's teacher work, and with a broker message limit far below the
 * size of a teacher output, the outputs travel as chunks and the job still finishes.
 */
class ScalingIT {

  @Test
  void twoTeacherReplicasShareAJobAndLargeOutputsAreChunked() throws Exception {
    PlatformOptions options = Platforms.options("scaling").withReplicas("teacher", 2).withMessageMaxBytes(64 * 1024);
    try (LocalPlatform platform = Platforms.start(options);
        PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir())) {
      var data = options.artifacts().resolve("data");
      // Bigger batches and more of them than the tiny default: enough work for both replicas.
      String yaml = Platforms.tinyJob(data, "").replace("sample-size: 96", "sample-size: 256")
          .replace("max-length: 32", "max-length: 64");
      client.submit("it-scale", new JobParser(JobSchema.root()).parse(yaml, "it.yaml").explicitTree());
      Platforms.awaitFinished(platform, client, "it-scale", Duration.ofMinutes(10));

      Set<String> computedBy = new HashSet<>();
      boolean chunked = false;
      try (var c = new KafkaConsumer<>(ClientConfigs.assignedConsumer(platform.bootstrap(), "it-outputs", Map.of()),
          new StringDeserializer(), new ByteArrayDeserializer())) {
        var parts = c.partitionsFor(Topics.TEACHER_OUTPUTS).stream().map(p -> new TopicPartition(Topics.TEACHER_OUTPUTS, p.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        var ends = c.endOffsets(parts);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
          for (var r : c.poll(Duration.ofMillis(200))) {
            var chunk = r.headers().lastHeader("retort-chunk");
            if (chunk != null) {
              chunked = true;
            }
          }
        }
      }
      for (String replica : List.of("teacher", "teacher-2")) {
        long computed = Metrics.sum(platform, replica, "retort_teacher_outputs_total", "source=\"computed\"");
        if (computed > 0) {
          computedBy.add(replica);
        }
      }
      assertThat(chunked).as("teacher outputs larger than the 64 KiB limit travel as chunks").isTrue();
      assertThat(computedBy).as("both replicas computed teacher outputs").containsExactlyInAnyOrder("teacher", "teacher-2");
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
