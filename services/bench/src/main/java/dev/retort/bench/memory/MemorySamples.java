package dev.retort.bench.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resident-set samples of a probe run and what they say about growth.
 *
 * <pre>
 * growth = (RSS at the last sample − RSS at the first sample at or after warm-up)
 *          / RSS at that warm-up sample
 * slope  = least-squares slope of RSS over step, samples from warm-up on (KiB per 1000 steps)
 * </pre>
 *
 * @param samples the samples in step order
 * @param warmupSteps the steps before the reference sample
 */
public record MemorySamples(List<Sample> samples, int warmupSteps) {

  /**
   * One sample.
   *
   * @param step steps done
   * @param rssKib VmRSS
   * @param hwmKib VmHWM
   * @param seconds since training started
   */
  public record Sample(long step, long rssKib, long hwmKib, double seconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the samples. */
  public MemorySamples {
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no memory samples");
    }
  }

  /**
   * Parses the probe's output: JSON lines; anything else (logging) is ignored.
   *
   * @param lines the lines
   * @param warmupSteps the reference step
   * @return the samples
   */
  public static MemorySamples parse(List<String> lines, int warmupSteps) {
    List<Sample> out = new ArrayList<>();
    for (String line : lines) {
      String l = line.trim();
      if (!l.startsWith("{\"step\"")) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(l);
        out.add(
            new Sample(
                n.get("step").asLong(),
                n.get("rss_kib").asLong(),
                n.get("hwm_kib").asLong(),
                n.get("seconds").asDouble()));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("bad probe line: " + l, e);
      }
    }
    return new MemorySamples(out, warmupSteps);
  }

  /** Returns the first sample at or after warm-up. */
  public Sample afterWarmup() {
    return samples.stream().filter(s -> s.step() >= warmupSteps).findFirst().orElse(last());
  }

  /** Returns the last sample. */
  public Sample last() {
    return samples.get(samples.size() - 1);
  }

  /** Returns the largest VmHWM seen (the process's peak resident set). */
  public long peakKib() {
    return samples.stream().mapToLong(Sample::hwmKib).max().orElseThrow();
  }

  /** Returns the relative growth from warm-up to the end. */
  public double growth() {
    long ref = afterWarmup().rssKib();
    return ref <= 0 ? Double.NaN : (double) (last().rssKib() - ref) / ref;
  }

  /** Returns the least-squares slope of RSS against step from warm-up on, in KiB per 1000 steps. */
  public double slopeKibPerThousandSteps() {
    List<Sample> s = samples.stream().filter(x -> x.step() >= warmupSteps).toList();
    if (s.size() < 2) {
      return Double.NaN;
    }
    double mx = s.stream().mapToDouble(Sample::step).average().orElseThrow();
    double my = s.stream().mapToDouble(Sample::rssKib).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Sample x : s) {
      sxy += (x.step() - mx) * (x.rssKib() - my);
      sxx += (x.step() - mx) * (x.step() - mx);
    }
    return sxx == 0 ? Double.NaN : 1000 * sxy / sxx;
  }

  /** Returns the samples as JSON rows. */
  public List<Map<String, Object>> toRows() {
    return samples.stream()
        .map(
            s -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("step", s.step());
              m.put("rss_mib", s.rssKib() / 1024.0);
              m.put("hwm_mib", s.hwmKib() / 1024.0);
              m.put("seconds", s.seconds());
              return m;
            })
        .toList();
  }
}
