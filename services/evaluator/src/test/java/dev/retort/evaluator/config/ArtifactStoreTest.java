package dev.retort.evaluator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  @TempDir
  Path root;

  @Test
  void statusUpdateKeepsWhatOtherServicesWrote() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    Files.createDirectories(root.resolve("jobs/j"));
    Files.writeString(root.resolve("jobs/j/state.json"),
        "{\"jobId\":\"j\",\"status\":\"running\",\"acceptedAt\":\"x\"}");
    store.setStatus("j", "finished");
    String json = Files.readString(root.resolve("jobs/j/state.json"));
    assertThat(json).contains("\"status\" : \"finished\"").contains("\"acceptedAt\" : \"x\"");
  }

  @Test
  void pathsFromMessagesStayInsideTheRoot() {
    ArtifactStore store = new ArtifactStore(root);
    assertThat(store.resolve("jobs/j/m", "path")).isEqualTo(root.resolve("jobs/j/m"));
    assertThat(store.resolve(root.resolve("jobs/x").toString(), "path"))
        .isEqualTo(root.resolve("jobs/x"));
    assertThatThrownBy(() -> store.resolve("../x", "path")).isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> store.resolve("/etc", "path")).isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> store.jobDir("../j")).isInstanceOf(RetortException.class);
    assertThat(store.relative(root.resolve("jobs/j/export"))).isEqualTo("jobs/j/export");
  }

  @Test
  void taskDataMayLieInAConfiguredDataRootButCheckpointsMayNot(@TempDir Path data) {
    ArtifactStore store = new ArtifactStore(root, java.util.List.of(data));
    assertThat(store.paths().data(data.resolve("sample").toString(), "task.dir"))
        .isEqualTo(data.resolve("sample").toAbsolutePath().normalize());
    // Relative paths resolve against the first data root, as in the trainer.
    assertThat(store.paths().data("sample", "task.dir")).isEqualTo(data.resolve("sample"));
    assertThat(store.paths().data(root.resolve("jobs/j/data").toString(), "task.dir"))
        .isEqualTo(root.resolve("jobs/j/data"));
    assertThatThrownBy(() -> store.resolve(data.resolve("m").toString(), "path"))
        .isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> new ArtifactStore(root).paths().data(data.toString(), "task.dir"))
        .isInstanceOf(RetortException.class);
  }
}
