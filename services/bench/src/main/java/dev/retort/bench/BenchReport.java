package dev.retort.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@code retort bench} run: where it ran, with which settings, and every figure.
 *
 * @param environment the machine, JVM and engine
 * @param settings the run's settings
 * @param figures the figures in table order
 * @param seconds the run's wall time
 */
public record BenchReport(
    Map<String, Object> environment,
    BenchSettings settings,
    List<FigureResult> figures,
    double seconds) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The table's header. */
  public static final List<String> HEADER = List.of("figure", "measured", "target", "reached?");

  /** Copies the collections. */
  public BenchReport {
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    figures = List.copyOf(figures);
  }

  /** Returns whether any figure failed (an error, not a missed target). */
  public boolean anyFailed() {
    return figures.stream().anyMatch(f -> f.status() == FigureResult.Status.FAILED);
  }

  /** Returns a figure's result, if it ran. */
  public java.util.Optional<FigureResult> figure(FigureId id) {
    return figures.stream().filter(f -> f.figure() == id).findFirst();
  }

  /** Returns one row per figure: figure, measured, target, reached. */
  public List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    for (FigureResult f : figures) {
      rows.add(
          List.of(
              f.figure().title(),
              f.measured(),
              f.target() == null ? "–" : f.target().describe(),
              f.verdict()));
    }
    return rows;
  }

  /** Returns the report as JSON fields. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("environment", environment);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("quick", settings.quick());
    s.put("seed", settings.seed());
    s.put("work_dir", settings.workDir().toString());
    s.put("only", settings.only().stream().map(FigureId::id).sorted().toList());
    s.put("matmul", settings.matmul());
    s.put("step", settings.step());
    s.put("wire", settings.wire());
    s.put("memory", settings.memory());
    s.put("jmh", settings.jmh());
    s.put("platform", settings.platform());
    s.put("python", settings.python() == null ? null : settings.python().toString());
    m.put("settings", s);
    m.put("seconds", seconds);
    m.put("figures", figures.stream().map(FigureResult::toMap).toList());
    return m;
  }

  /** Returns the report as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report cannot be written as JSON", e);
    }
  }
}
