package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.Retort;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.stack.LocalStack;
import dev.retort.stack.StackEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The local platform driven as a user drives it, through the {@code retort} command line:
 * {@code up}, {@code submit --follow}, {@code jobs}, {@code status}, {@code results}, {@code down}.
 */
class CommandLineIT {

  /** The outcome of one command. */
  private record Result(int exit, String out, String err) {
    String both() {
      return out + err;
    }
  }

  private static Result retort(Object... args) {
    String[] argv = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Retort.execute(argv, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void upSubmitFollowResultsAndDownRunAJobOnTheLocalPlatform() throws Exception {
    // A fresh directory under target/platforms; 'retort up' keeps its state and store in it.
    Path dir = Platforms.options("command-line").stateDir().getParent();
    Path state = dir.resolve("cli-stack");
    Path artifacts = LocalPlatform.artifactsBeside(state);
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, "name: cli-it\n" + Platforms.tinyJob(dir.resolve("data"), ""));
    try {
      Result up = retort("up", "--state", state);
      assertThat(up.exit()).as(up.both()).isZero();
      assertThat(up.out()).contains("Kafka: 127.0.0.1:", "Artifacts: " + artifacts);

      Result submit = retort("submit", job, "--state", state, "--id", "cli-it-1", "--follow", "--timeout", 8);
      assertThat(submit.exit()).as(submit.both()).isZero();
      Matcher export = Pattern.compile("Student exported to (\\S+?):").matcher(submit.both());
      assertThat(export.find()).as(submit.both()).isTrue();
      Path exported = Path.of(export.group(1));
      assertThat(exported).as("the export is shown as a path on this machine").startsWith(artifacts);
      assertThat(exported.resolve("config.json")).exists();

      Result jobs = retort("jobs", "--state", state);
      assertThat(jobs.exit()).as(jobs.both()).isZero();
      assertThat(jobs.out()).contains("cli-it-1");
      Result status = retort("status", "cli-it-1", "--state", state);
      assertThat(status.exit()).as(status.both()).isZero();
      assertThat(status.out()).contains("finished");
      Result results = retort("results", "cli-it-1", "--state", state);
      assertThat(results.exit()).as(results.both()).isZero();
      assertThat(results.out()).contains("teacher ", "student ", "retained", "faster");

      List<StackEntry> started = new LocalStack(state).state().entries();
      assertThat(started).as("what 'up' started").isNotEmpty();
      Result down = retort("down", "--state", state);
      assertThat(down.exit()).as(down.both()).isZero();
      for (StackEntry e : started) {
        assertThat(down.out()).contains("stopped " + e.name());
        assertThat(e.liveProcess()).as(e.name() + " (pid " + e.pid() + ") after 'down'").isEmpty();
      }
    } finally {
      // After a failure above, stop whatever is still running; after 'down' this finds nothing.
      retort("down", "--state", state);
    }
  }
}
