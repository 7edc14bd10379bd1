package dev.retort.cli.commands;

import dev.retort.cli.ExitCodes;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retort status ID}: a job's events. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a job's events (the latest ones, or all with --all).")
public final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String id;

  @Option(names = "--all", description = "Every event, not only the last ten.")
  private boolean all;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<JobEvent> events = new ArrayList<>();
    ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
    try (PlatformClient client = PlatformClient.connect(where.bootstrap, where.stateDir());
        var reader = client.fromStart(Topics.JOB_EVENTS)) {
      reader.drain(r -> serde.decode(r.value()).toOptional().ifPresent(events::add), id::equals);
    }
    if (events.isEmpty()) {
      out.println("No events for job " + id + " (yet).");
      return ExitCodes.FAILURE;
    }
    var shown = all ? events : events.subList(Math.max(0, events.size() - 10), events.size());
    var printer = com.google.protobuf.util.JsonFormat.printer().omittingInsignificantWhitespace();
    for (JobEvent e : shown) {
      try {
        out.println(printer.print(e));
      } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
        out.println(e);
      }
    }
    return ExitCodes.OK;
  }
}
