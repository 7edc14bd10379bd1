package dev.retort.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.run.CheckpointStore;
import dev.retort.core.run.JobRunner;
import dev.retort.core.run.RunEnvironment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loss that becomes NaN or infinite stops the job with a clear error and keeps the last good
 * checkpoint; a checkpoint damaged by a crash during writing is detected by its checksum and skipped.
 */
class DivergenceAndDamageTest {

  static String job(Path data, Path out, String lr) {
    return """
        seed: 3
        task:
          format: sample
          dir: %s
          domains: [books]
          sample-size: 120
          max-train-examples: 96
          max-eval-examples: 32
          max-length: 32
        teacher:
          model: preset:tiny
        student:
          preset: tiny
          init: random
        distill:
          method: none
          training: {epochs: 3, batch-size: 16, lr: %s, warmup: 0, max-grad-norm: 0, eval-every: 0, checkpoint-every: 1, log-every: 1}
        output:
          dir: %s
          export: false
        """.formatted(data, lr, out);
  }

  @Test
  void nonFiniteLossStopsTheJobAndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) {
    var job = new JobParser(JobSchema.root()).parse(job(tmp.resolve("data"), tmp.resolve("run"), "1e30"), "t.yaml");
    assertThatThrownBy(() -> new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(job, "nan"))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("not finite")
        .hasMessageContaining("last good checkpoint is kept");
    var store = new CheckpointStore(tmp.resolve("run/student/checkpoints"), 2);
    var last = store.latest().orElseThrow();
    for (var t : last.model().asMap().values()) {
      for (float f : t.toFloats()) {
        assertThat(Float.isFinite(f)).as("weights of the kept checkpoint are finite").isTrue();
      }
    }
  }

  @Test
  void damagedNewestCheckpointIsSkippedForTheIntactOneBefore(@TempDir Path tmp) throws Exception {
    var job = new JobParser(JobSchema.root()).parse(job(tmp.resolve("data"), tmp.resolve("run"), "1e-3"), "t.yaml");
    new JobRunner(RunEnvironment.local(List.of(), () -> false)).run(job, "ok");
    var store = new CheckpointStore(tmp.resolve("run/student/checkpoints"), 2);
    List<Path> files = store.list();
    assertThat(files).hasSize(2);
    long newest = store.latest().orElseThrow().state().step();
    // Flip one byte in the middle of the newest file, as a torn write would leave it.
    try (FileChannel ch = FileChannel.open(files.get(1), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long pos = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, pos);
      b.put(0, (byte) (b.get(0) ^ 0x5a));
      ch.write(b.flip(), pos);
    }
    assertThat(store.latest().orElseThrow().state().step()).isEqualTo(newest - 1);
    // A file cut short is skipped too.
    Files.write(files.get(1), new byte[] {1, 2, 3});
    assertThat(store.latest().orElseThrow().state().step()).isEqualTo(newest - 1);
  }
}
