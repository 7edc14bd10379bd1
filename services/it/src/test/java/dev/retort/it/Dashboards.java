package dev.retort.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The metric names the dashboards in grafana/dashboards query, and what /q/metrics exports. */
final class Dashboards {
  private Dashboards() {}

  /** Returns metric name to the dashboards and panels that use it. */
  static Map<String, Set<String>> queriedMetrics(Path dir) throws IOException {
    Map<String, Set<String>> used = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode d = json.readTree(f.toFile());
        String board = f.getFileName().toString();
        for (JsonNode v : d.at("/templating/list")) {
          String q = v.path("query").isObject() ? v.at("/query/query").asText() : v.path("query").asText();
          if (v.path("type").asText().equals("query")) {
            PromQl.variableMetricNames(q).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>()).add(board + " $" + v.path("name").asText()));
          }
        }
        for (JsonNode p : d.path("panels")) {
          for (JsonNode t : p.path("targets")) {
            PromQl.metricNames(t.path("expr").asText()).forEach(m ->
                used.computeIfAbsent(m, k -> new TreeSet<>()).add(board + " '" + p.path("title").asText() + "'"));
          }
        }
      }
    }
    return used;
  }

  /** Returns the sample names of a Prometheus text exposition (as PromQL sees them). */
  static Set<String> exportedNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }
}
