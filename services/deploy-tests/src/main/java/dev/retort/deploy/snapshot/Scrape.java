package dev.retort.deploy.snapshot;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The samples of every service at one moment.
 *
 * @param seconds seconds since the recording started
 * @param samples the samples of all services
 */
public record Scrape(double seconds, List<Sample> samples) {

  /**
   * Returns the sum of a metric's samples whose labels match.
   *
   * @param name the metric name
   * @param match labels that must have these values
   * @return the sum, or empty if no sample matches
   */
  public OptionalDouble sum(String name, Map<String, String> match) {
    double total = 0;
    boolean any = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.has(match) && Double.isFinite(s.value())) {
        total += s.value();
        any = true;
      }
    }
    return any ? OptionalDouble.of(total) : OptionalDouble.empty();
  }
}
