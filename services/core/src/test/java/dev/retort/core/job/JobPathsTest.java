package dev.retort.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.weights.ModelRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's data files and local model references are checked against the roots up front. */
class JobPathsTest {

  private static ConfigValues job(String yaml) {
    return new JobParser(JobSchema.root()).parse(yaml, "job.yaml");
  }

  private static PathPolicy policy(Path root) {
    return new PathPolicy(root, List.of(root), List.of(root));
  }

  @Test
  void modelDirectoryOutsideTheRootsIsRejectedWithItsKey(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    ConfigValues job = job("teacher:\n  model: hf-dir:/etc\n");
    assertThatThrownBy(() -> JobPaths.check(job, policy(root)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("teacher.model")
        .hasMessageContaining("outside the allowed data roots");
  }

  @Test
  void onnxTokenizerAndCheckpointEscapesAreRejected(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    ConfigValues onnx = job("teacher:\n  model: preset:tiny\nstudent:\n  model: onnx:m/model.onnx,tokenizer=../tok.json\n");
    assertThatThrownBy(() -> JobPaths.check(onnx, policy(root)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("student.model")
        .hasMessageContaining("'..'");
    ConfigValues checkpoint = job("teacher:\n  model: checkpoint:../../x\n");
    assertThatThrownBy(() -> JobPaths.check(checkpoint, policy(root)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("teacher.model");
  }

  @Test
  void symbolicLinkOutOfTheRootIsRejected(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    ConfigValues job = job("teacher:\n  model: preset:tiny\ntask:\n  format: glue\n  name: SST-2\n  dir: link/SST-2\n");
    assertThatThrownBy(() -> JobPaths.check(job, policy(root)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("task.dir")
        .hasMessageContaining("symbolic link");
  }

  @Test
  void pathsInsideTheRootsAndRemoteModelsPass(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store"));
    ConfigValues job =
        job("teacher:\n  model: hf-dir:models/teacher\nstudent:\n  model: all-minilm-l6-v2\n"
            + "task:\n  format: glue\n  name: SST-2\n  dir: data/SST-2\n");
    JobPaths.check(job, policy(root));
    ModelRef ref = JobPaths.modelRef("hf-dir:models/teacher", "teacher.model", policy(root));
    assertThat(ref).isEqualTo(new ModelRef.HfDir(root.resolve("models/teacher")));
    assertThat(JobPaths.modelRef("all-minilm-l6-v2", "student.model", policy(root)))
        .isInstanceOf(ModelRef.Maven.class);
  }
}
