package dev.retort.cli.commands;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
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
    render(events, all, json).forEach(out::println);
    return ExitCodes.OK;
  }

  /**
   * Returns the lines that show a job's events: the last ten (or all), a readable line each with
   * a note of how many are left out, or with {@code json} one JSON object per line and nothing
   * else, so that the output parses as JSON Lines.
   *
   * @param events the job's events, oldest first
   * @param all whether to show every event
   * @param json whether to print the messages as JSON
   * @return the lines
   */
  static List<String> render(List<JobEvent> events, boolean all, boolean json) {
    List<JobEvent> shown = all ? events : events.subList(Math.max(0, events.size() - 10), events.size());
    List<String> lines = new ArrayList<>();
    if (!json) {
      if (shown.size() < events.size()) {
        lines.add("(" + (events.size() - shown.size()) + " earlier events; --all shows them)");
      }
      shown.forEach(e -> lines.add(EventLines.line(e)));
      return lines;
    }
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    for (JobEvent e : shown) {
      try {
        lines.add(printer.print(e));
      } catch (InvalidProtocolBufferException ex) {
        lines.add(TextFormat.shortDebugString(e)); // one line still; JsonFormat failed on a field it cannot resolve
      }
    }
    return lines;
  }
}
