package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.core.RetortException;
import dev.retort.core.data.SampleData;
import dev.retort.core.job.TaskResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code retort sample-data DIR}: writes the synthetic sample data jobs with {@code task.format:
 * sample} use.
 */
@Command(
    name = "sample-data",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the synthetic sample data (made-up reviews) into DIR.",
      "",
      "train.tsv, dev.tsv and test.tsv in four domains with three labels: the same files a job"
          + " with task.format: sample, task.dir: DIR and task.sample-size: N reads. corpus.txt"
          + " holds the training reviews as plain text, for an EfficientBERT search's pre-training"
          + " KD (search.corpus). For demos and tests, not for claims about methods."
    })
public final class SampleDataCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The directory to write.")
  private Path dir;

  @Option(
      names = "--size",
      paramLabel = "N",
      defaultValue = "1500",
      description =
          "Training examples per domain (default: ${DEFAULT-VALUE}); dev gets max(50, N/7), test"
              + " max(50, N/5).")
  private int size;

  /** {@inheritDoc} */
  @Override
  public Integer call() throws IOException {
    if (size < 3) {
      throw new RetortException(
          "--size " + size, "too small", "Use at least 3 examples per domain (one per label)");
    }
    TaskResolver.writeSampleData(dir, size);
    PrintWriter out = spec.commandLine().getOut();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
        long rows;
        try (Stream<String> lines = Files.lines(f)) {
          rows = lines.count() - 1;
        }
        out.println(f.toAbsolutePath().normalize() + ": " + rows + " examples");
      }
    }
    Path corpus = dir.resolve(SampleData.CORPUS).toAbsolutePath().normalize();
    List<String> lines = Files.readAllLines(corpus);
    long documents = lines.stream().filter(String::isEmpty).count();
    out.println(corpus + ": " + (lines.size() - documents) + " reviews in " + documents
        + " documents, for search.corpus");
    return ExitCodes.OK;
  }
}
