package dev.retort.cli.commands;

import dev.retort.cli.BundledExamples;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.TextTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort examples [NAME]}: lists the bundled example jobs or prints one. */
@Command(
    name = "examples",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the example job files, or prints one.",
      "",
      "Save one to edit it: retort examples sample-emd > my-job.yaml"
    })
public final class ExamplesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "The example to print.")
  private String name;

  /** {@inheritDoc} */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (name != null) {
      out.print(BundledExamples.text(name));
      return ExitCodes.OK;
    }
    TextTable t = new TextTable("example", "what it shows");
    BundledExamples.EXAMPLES.forEach(t::row);
    out.print(t.render());
    out.println();
    out.println("Print one with: retort examples NAME > job.yaml");
    return ExitCodes.OK;
  }
}
