package dev.retort.cli.commands;

import dev.retort.cli.JobFiles;
import dev.retort.core.job.ConfigValues;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the commands that run a job here: its name ({@code --name}) and run directory ({@code --output}). */
public final class RunNamingMixin {
  @Option(
      names = "--name",
      paramLabel = "N",
      description = "The job name (default: the job's name key or file name).")
  String name;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "The run directory (default: output.dir, else runs/<name>).")
  Path output;

  /**
   * Returns the job's name: {@code --name}, else the job's {@code name} key, else the file's name.
   *
   * @param job the parsed job
   * @param jobFile the file it came from
   * @return the name
   */
  String jobName(ConfigValues job, Path jobFile) {
    return name != null ? name : JobFiles.name(job, jobFile);
  }

  /**
   * Returns the job with {@code output.dir} set to {@code --output} (absolute) when it was given.
   *
   * @param job the parsed job
   * @return the job, unchanged without {@code --output}
   */
  ConfigValues withOutput(ConfigValues job) {
    return output == null
        ? job
        : JobFiles.withOverrides(job, Map.of("output.dir", output.toAbsolutePath().toString()));
  }
}
