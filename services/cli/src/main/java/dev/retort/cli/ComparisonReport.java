package dev.retort.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.cli.MethodComparison.Outcome;
import dev.retort.cli.MethodComparison.Row;
import dev.retort.cli.MethodComparison.Status;
import dev.retort.core.run.ModelScore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The table of a method comparison (method, dev and test metric, share of the teacher retained,
 * parameters, latency, wall time), as text, Markdown ({@code compare.md}) and JSON ({@code
 * compare.json}).
 */
public final class ComparisonReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outcome outcome;
  private final String metric;

  /**
   * Creates the report.
   *
   * @param outcome the comparison
   */
  public ComparisonReport(Outcome outcome) {
    this.outcome = outcome;
    ModelScore t = outcome.teacher();
    this.metric =
        t != null
            ? t.metric()
            : outcome.rows().stream()
                .filter(r -> r.student() != null)
                .map(r -> r.student().metric())
                .findFirst()
                .orElse("metric");
  }

  /** Returns the table: the teacher first, then one row per method. */
  public TextTable table() {
    TextTable table =
        new TextTable(
                "method",
                "dev " + metric,
                "test " + metric,
                "retained",
                "parameters",
                "latency ms",
                "wall time")
            .rightAligned(1, 2, 3, 4, 5, 6);
    ModelScore t = outcome.teacher();
    if (t != null) {
      table.row(
          "teacher",
          Formats.metric(t.dev().get(metric)),
          Formats.metric(t.test().get(metric)),
          "100.0%",
          Formats.parameters(t.parameters()),
          Formats.millis(t.latencyMs()),
          "");
    }
    for (Row r : outcome.rows()) {
      if (r.status() != Status.OK) {
        table.row(
            r.method(),
            status(r.status()),
            Formats.NONE,
            Formats.NONE,
            Formats.NONE,
            Formats.NONE,
            Formats.duration(r.wallSeconds()));
        continue;
      }
      ModelScore s = r.student();
      table.row(
          r.method(),
          Formats.metric(s.dev().get(metric)),
          Formats.metric(s.test().get(metric)),
          t == null ? Formats.NONE : Formats.percent(s.headline() / t.headline()),
          Formats.parameters(s.parameters()),
          Formats.millis(s.latencyMs()),
          Formats.duration(r.wallSeconds()));
    }
    return table;
  }

  /** Returns the notes below the table: why methods did not finish. */
  public String notes() {
    StringBuilder sb = new StringBuilder();
    for (Row r : outcome.rows()) {
      if (r.message() != null) {
        sb.append(r.method()).append(": ").append(r.message()).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Writes {@code compare.md} and {@code compare.json} into a directory.
   *
   * @param dir the comparison directory
   * @throws IOException if writing fails
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String notes = notes();
    String md =
        "# Method comparison\n\nTeacher: `"
            + outcome.teacherRef()
            + "`. Retained: the student's "
            + "headline "
            + metric
            + " (test if labelled, else dev) as a share of the teacher's.\n\n"
            + table().markdown()
            + (notes.isEmpty()
                ? ""
                : "\n" + notes.lines().map(l -> "- " + l + "\n").reduce("", String::concat));
    Files.writeString(dir.resolve("compare.md"), md, StandardCharsets.UTF_8);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("compare.json").toFile(), json());
  }

  private ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("metric", metric);
    root.put("teacher_ref", outcome.teacherRef());
    if (outcome.teacher() != null) {
      root.set("teacher", JSON.valueToTree(outcome.teacher()));
    }
    ArrayNode rows = root.putArray("methods");
    for (Row r : outcome.rows()) {
      ObjectNode o = rows.addObject();
      o.put("method", r.method());
      o.put("status", r.status().name().toLowerCase(Locale.ROOT));
      if (r.student() != null) {
        o.set("student", JSON.valueToTree(r.student()));
        if (outcome.teacher() != null) {
          o.put("retained", r.student().headline() / outcome.teacher().headline());
        }
      }
      o.put("wall_seconds", r.wallSeconds());
      o.put("run_dir", r.runDir().toString());
      if (r.message() != null) {
        o.put("message", r.message());
      }
    }
    return root;
  }

  private static String status(Status s) {
    return switch (s) {
      case BAD_INPUT -> "not applicable";
      case FAILED -> "failed";
      case OK -> "ok";
    };
  }
}
