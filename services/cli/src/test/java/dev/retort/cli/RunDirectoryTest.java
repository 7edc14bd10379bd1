package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path dir;

  private void touch(String path) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "");
  }

  @Test
  void resumeStepsComeFromTheNewestCheckpointOfEachPhase() throws IOException {
    touch("teacher/checkpoints/step-000000010.safetensors");
    touch("teacher/checkpoints/step-000000020.safetensors");
    touch("student/intermediate/checkpoints/step-000000300.safetensors");
    touch("student/checkpoints/step-000000040.safetensors");
    touch("student/checkpoints/notes.txt");
    RunDirectory run = new RunDirectory(dir);
    assertThat(run.resumeSteps())
        .containsEntry("teacher-finetune", 20L)
        .containsEntry("distill-intermediate", 300L)
        .containsEntry("distill", 40L)
        .containsEntry("distill-prediction", 40L);
    assertThat(run.resumeLines())
        .containsExactly(
            "resuming teacher-finetune from step 20 (" + dir + ")",
            "resuming distill-intermediate from step 300 (" + dir + ")",
            "resuming distill from step 40 (" + dir + ")");
  }

  @Test
  void aFinishedTeacherIsReusedNotResumed() throws IOException {
    touch("teacher/checkpoints/step-000000020.safetensors");
    touch("teacher/done");
    RunDirectory run = new RunDirectory(dir);
    assertThat(run.resumeSteps()).doesNotContainKey("teacher-finetune");
    assertThat(run.resumeLines()).singleElement().asString().contains("already fine-tuned");
  }

  @Test
  void aNewRunResumesNothing() {
    assertThat(new RunDirectory(dir.resolve("new")).resumeSteps()).isEmpty();
    assertThat(new RunDirectory(dir.resolve("new")).resumeLines()).isEmpty();
  }

  @Test
  void freshStartDeletesARunDirectory() throws IOException {
    touch("run/job.json");
    touch("run/student/checkpoints/step-000000040.safetensors");
    new RunDirectory(dir.resolve("run")).deleteForFreshStart();
    assertThat(dir.resolve("run")).doesNotExist();
    new RunDirectory(dir.resolve("never-created")).deleteForFreshStart();
  }

  @Test
  void freshStartRefusesADirectoryThatIsNoRun() throws IOException {
    touch("mine/thesis.tex");
    assertThatThrownBy(() -> new RunDirectory(dir.resolve("mine")).deleteForFreshStart())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("no job.json");
    assertThat(dir.resolve("mine/thesis.tex")).exists();
  }
}
