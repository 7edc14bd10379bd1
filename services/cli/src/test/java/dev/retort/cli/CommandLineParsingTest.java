package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CommandLineParsingTest {
  private static ParseResult parse(String... args) {
    CommandLine cl =
        Retort.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    return cl.parseArgs(args).subcommand();
  }

  @Test
  void distillTakesJobNameOutputAndFresh() {
    ParseResult p = parse("distill", "job.yaml", "--name", "n1", "--output", "out/dir", "--fresh");
    assertThat(p.commandSpec().name()).isEqualTo("distill");
    assertThat(p.matchedPositional(0).getValue().toString()).isEqualTo("job.yaml");
    assertThat((String) p.matchedOptionValue("--name", null)).isEqualTo("n1");
    assertThat(p.matchedOptionValue("--output", null).toString()).isEqualTo("out/dir");
    assertThat((Boolean) p.matchedOptionValue("--fresh", false)).isTrue();
  }

  @Test
  void upAndDownTakeAStateDirectoryButNoBrokerSinceTheyStartAndStopTheLocalOne() {
    assertThat(parse("up", "--state", "st").matchedOptionValue("--state", null).toString()).isEqualTo("st");
    assertThat(parse("down", "--state", "st").matchedOptionValue("--state", null).toString()).isEqualTo("st");
    assertThatThrownBy(() -> parse("up", "--bootstrap", "localhost:9092"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    ParseResult status = parse("status", "j", "--bootstrap", "localhost:9092", "--state", "st");
    assertThat((String) status.matchedOptionValue("--bootstrap", null)).isEqualTo("localhost:9092");
    assertThat(status.matchedOptionValue("--state", null).toString()).isEqualTo("st");
  }

  @Test
  void finetuneTakesAJob() {
    ParseResult p = parse("finetune", "job.yaml");
    assertThat(p.commandSpec().name()).isEqualTo("finetune");
    assertThat(p.matchedPositional(0).getValue().toString()).isEqualTo("job.yaml");
  }

  @Test
  void everyCommandThatRunsAJobHereTakesItsNameAndRunDirectory() {
    for (String command : new String[] {"distill", "finetune", "search"}) {
      ParseResult p = parse(command, "job.yaml", "--name", "n1", "--output", "out/dir");
      assertThat((String) p.matchedOptionValue("--name", null)).as(command).isEqualTo("n1");
      assertThat(p.matchedOptionValue("--output", null).toString()).as(command).isEqualTo("out/dir");
    }
  }

  @Test
  void evalTakesModelJobAndSplit() {
    ParseResult p = parse("eval", "runs/x/export", "--job", "job.yaml", "--split", "test");
    assertThat((String) p.matchedPositional(0).getValue()).isEqualTo("runs/x/export");
    assertThat(p.matchedOptionValue("--job", null).toString()).isEqualTo("job.yaml");
    assertThat(p.matchedOptionValue("--split", null).toString()).isEqualTo("test");
  }

  @Test
  void exportTakesSourceAndTarget() {
    ParseResult p = parse("export", "runs/x", "out");
    assertThat(p.matchedPositionals()).hasSize(2);
    assertThat(p.matchedPositional(1).getValue().toString()).isEqualTo("out");
  }

  @Test
  void compareSplitsTheMethodList() {
    ParseResult p = parse("compare", "job.yaml", "--methods", "none,bert-emd", "--output", "cmp");
    List<String> methods = p.matchedOptionValue("--methods", List.<String>of());
    assertThat(methods).containsExactly("none", "bert-emd");
  }

  @Test
  void compareDefaultsToTheFiveSingleDomainMethods() {
    ParseResult p = parse("compare", "job.yaml");
    assertThat(p.commandSpec().findOption("--methods").defaultValue())
        .isEqualTo("none,logits-kd,tinybert,pkd,bert-emd");
  }

  @Test
  void sampleDataExamplesAndJobReferenceParse() {
    assertThat((Integer) parse("sample-data", "d", "--size", "40").matchedOptionValue("--size", 0))
        .isEqualTo(40);
    assertThat((String) parse("examples", "sample-emd").matchedPositional(0).getValue())
        .isEqualTo("sample-emd");
    assertThat(parse("examples").matchedPositionals()).isEmpty();
    assertThat(parse("job-reference").commandSpec().name()).isEqualTo("job-reference");
  }

  @Test
  void verboseIsAcceptedAfterTheSubcommand() {
    CommandLine cl =
        Retort.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    cl.parseArgs("distill", "job.yaml", "--verbose");
    assertThat(((Retort) cl.getCommand()).verbose()).isTrue();
  }

  @Test
  void versionAndHelpExitZero() {
    Cli.Result v = Cli.run("--version");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).startsWith("retort ");
    Cli.Result h = Cli.run("help", "distill");
    assertThat(h.exit()).isZero();
    assertThat(h.out()).contains("Usage: retort distill").contains("--fresh");
  }

  @Test
  void wrongUsageExitsTwo() {
    assertThat(Cli.run().exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Cli.run("distil", "job.yaml").err()).contains("distill");
    assertThat(Cli.run("distill").exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Cli.run("eval", "model", "--job", "j.yaml", "--split", "train").exit())
        .isEqualTo(ExitCodes.BAD_INPUT);
  }
}
