package dev.retort.bench.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TorchScript} against stand-in "Pythons": shell scripts that behave like the real run. */
class TorchScriptTest {
  @TempDir Path dir;

  /** A fake interpreter: records its arguments, prints {@code body}'s output, exits with {@code code}. */
  private Path fakePython(String body, int code) throws IOException {
    Path p = dir.resolve("python");
    Files.writeString(p, "#!/bin/sh\necho \"$@\" > " + dir.resolve("args.txt") + "\n" + body + "\nexit " + code + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void theScriptRunsWithTheStepsShapeAndItsSummaryIsRead() throws Exception {
    Path python = fakePython(
        "echo 'step 1/7: 2.0 s, loss 1.1'\necho '{\"implementation\": \"pytorch+transformers\", \"examples_per_second\": 12.5, \"torch\": \"2.13.0+cpu\"}'", 0);
    Path work = dir.resolve("work");

    TorchScript.Outcome o = new TorchScript(python, work).run("cpu", 2, 32, 128, 2, 7, 42, 1);

    assertThat(o.examplesPerSecond()).isEqualTo(12.5);
    assertThat(o.summary().get("torch").asText()).isEqualTo("2.13.0+cpu");
    String args = Files.readString(dir.resolve("args.txt")).strip();
    assertThat(args).isEqualTo(work.resolve("torch_distill_step.py") + " --device cpu --threads 2 --batch 32"
        + " --length 128 --warmup 2 --steps 7 --seed 42");
    // The script handed over is the bundled PyTorch + transformers step.
    assertThat(Files.readString(work.resolve("torch_distill_step.py"))).contains("from transformers import");
    assertThat(Files.readString(o.log())).contains("step 1/7");
  }

  @Test
  void aFailingScriptIsReportedWithItsExitCodeAndLog() throws Exception {
    Path python = fakePython("echo 'ModuleNotFoundError: No module named transformers'", 1);
    assertThatThrownBy(() -> new TorchScript(python, dir.resolve("work")).run("cpu", 2, 32, 128, 2, 7, 42, 1))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("torch-comparison.log");
  }

  @Test
  void aScriptWithoutSummaryLineIsAnError() throws Exception {
    Path python = fakePython("echo 'step 1/7: 2.0 s'", 0);
    assertThatThrownBy(() -> new TorchScript(python, dir.resolve("work")).run("cpu", 2, 32, 128, 2, 7, 42, 1))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("no summary line");
  }
}
