package dev.retort.cli.commands;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.retort.cli.ExitCodes;
import dev.retort.cli.platform.EventLines;
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

/** {@code retort status ID}: a job's events, a readable line each, or as JSON. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a job's events (the latest ones, or all with --all), a line each: time (UTC), source, what happened.")
public final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private PlatformOptionsMixin where;

  @Parameters(paramLabel = "ID", description = "The job id.")
  private String id;

  @Option(names = "--all", description = "Every event, not only the last ten.")
  private boolean all;

  @Option(names = "--json", description = "Each event as the JSON of its protobuf message, one per line.")
  private boolean json;

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
    if (!all && events.size() > shown.size()) {
      out.println("(" + (events.size() - shown.size()) + " earlier events; --all shows them)");
    }
    var printer = JsonFormat.printer().omittingInsignificantWhitespace();
    for (JobEvent e : shown) {
      if (!json) {
        out.println(EventLines.line(e));
        continue;
      }
      try {
        out.println(printer.print(e));
      } catch (InvalidProtocolBufferException ex) {
        out.println(e);
      }
    }
    return ExitCodes.OK;
  }
}
