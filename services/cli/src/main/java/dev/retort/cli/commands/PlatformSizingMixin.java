package dev.retort.cli.commands;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.RetortException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the local platform's services share this machine's cores: their threads and workers. */
public final class PlatformSizingMixin {
  @Option(
      names = "--service-threads",
      paramLabel = "SERVICE=N",
      split = ",",
      description = "libtorch threads of the local platform's services, e.g. teacher=2,trainer=2"
          + " (default: the cores split among the teacher's workers, half of them for the"
          + " trainer). When teacher and trainers together have more threads than cores, their"
          + " OpenMP threads wait passively.")
  Map<String, Integer> serviceThreads = new LinkedHashMap<>();

  @Option(
      names = "--teacher-workers",
      paramLabel = "N",
      description = "Requests the teacher computes at once, 1 to "
          + PlatformOptions.MAX_TEACHER_WORKERS + ", each on its --service-threads teacher=…"
          + " threads (default: one per core, up to " + PlatformOptions.MAX_TEACHER_WORKERS
          + ", the cores split among them).")
  Integer teacherWorkers;

  /**
   * Returns the thread counts given, checked.
   *
   * @return service name → threads, possibly empty
   * @throws RetortException for an unknown service or a count below 1
   */
  Map<String, Integer> serviceThreads() {
    for (var e : serviceThreads.entrySet()) {
      if (!LocalPlatform.SERVICES.contains(e.getKey()) || e.getValue() < 1) {
        throw new RetortException(
            "--service-threads " + e.getKey() + "=" + e.getValue(),
            "names no service, or fewer than 1 thread",
            "Give SERVICE=N with SERVICE one of " + String.join(", ", LocalPlatform.SERVICES)
                + ", e.g. --service-threads teacher=2,trainer=2");
      }
    }
    return serviceThreads;
  }

  /**
   * Returns the teacher workers given, checked.
   *
   * @return 1 to {@link PlatformOptions#MAX_TEACHER_WORKERS}, or 0 when not given (the default)
   * @throws RetortException outside that range
   */
  int teacherWorkers() {
    if (teacherWorkers == null) {
      return 0;
    }
    if (teacherWorkers < 1 || teacherWorkers > PlatformOptions.MAX_TEACHER_WORKERS) {
      throw new RetortException(
          "--teacher-workers " + teacherWorkers,
          "is outside 1 to " + PlatformOptions.MAX_TEACHER_WORKERS,
          "Give the requests the teacher computes at once, e.g. --teacher-workers 1");
    }
    return teacherWorkers;
  }

  /**
   * Applies the options given to a platform's options.
   *
   * @param options the defaults
   * @return the options with the given threads and workers
   * @throws RetortException for a bad value
   */
  PlatformOptions apply(PlatformOptions options) {
    PlatformOptions o = options.withThreads(serviceThreads());
    int workers = teacherWorkers();
    return workers > 0 ? o.withTeacherWorkers(workers) : o;
  }
}
