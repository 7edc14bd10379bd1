package dev.retort.deploy.snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sample of a Prometheus text exposition.
 *
 * @param name the metric name as PromQL sees it ({@code retort_trainer_steps_total})
 * @param labels the labels
 * @param value the value
 */
public record Sample(String name, Map<String, String> labels, double value) {

  /**
   * Parses an exposition ({@code name{a="b",...} value} lines; comments skipped).
   *
   * @param text the body of {@code /q/metrics}
   * @return the samples
   */
  public static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int i = 0;
      while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
        i++;
      }
      String name = line.substring(0, i);
      Map<String, String> labels = new LinkedHashMap<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq).strip();
          StringBuilder v = new StringBuilder();
          int j = eq + 2; // after ="
          while (line.charAt(j) != '"') {
            if (line.charAt(j) == '\\') {
              j++;
              v.append(line.charAt(j) == 'n' ? '\n' : line.charAt(j));
            } else {
              v.append(line.charAt(j));
            }
            j++;
          }
          labels.put(key, v.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        i++;
      }
      String[] rest = line.substring(i).strip().split("\\s+");
      out.add(new Sample(name, labels, parseValue(rest[0])));
    }
    return out;
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  /** Returns whether every given label has the given value. */
  public boolean has(Map<String, String> match) {
    for (Map.Entry<String, String> e : match.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
