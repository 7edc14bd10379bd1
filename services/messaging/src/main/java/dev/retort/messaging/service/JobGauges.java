package dev.retort.messaging.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gauges that belong to a job (tag {@code job}): registered on their first value, updated in
 * place, and removed together when the job is forgotten, so the registry holds the gauges of the
 * most recently active jobs only.
 */
public final class JobGauges {
  private final MeterRegistry registry;
  private final int maxJobs;
  private final LinkedHashMap<String, Map<String, Holder>> jobs =
      new LinkedHashMap<>(8, 0.75f, true);

  /** The current value of one gauge. */
  private static final class Holder {
    volatile double value;
    Gauge gauge;
  }

  /**
   * Creates the registry of job gauges.
   *
   * @param registry the meter registry
   * @param maxJobs the jobs whose gauges are kept; the least recently set job's are removed first
   */
  public JobGauges(MeterRegistry registry, int maxJobs) {
    this.registry = registry;
    this.maxJobs = maxJobs;
  }

  /**
   * Sets a gauge of a job.
   *
   * @param job the job (the {@code job} tag)
   * @param name the meter name
   * @param tags the other tags
   * @param value the value
   */
  public synchronized void set(String job, String name, Tags tags, double value) {
    Map<String, Holder> gauges = jobs.get(job);
    if (gauges == null) {
      gauges = new HashMap<>();
      jobs.put(job, gauges);
      evict();
    }
    String key = name + tags;
    Holder h = gauges.get(key);
    if (h == null) {
      h = new Holder();
      h.gauge = Gauge.builder(name, h, x -> x.value).tags(tags).tag("job", job)
          .strongReference(true).register(registry);
      gauges.put(key, h);
    }
    h.value = value;
  }

  /**
   * Removes every gauge of a job.
   *
   * @param job the job
   */
  public synchronized void forget(String job) {
    Map<String, Holder> gauges = jobs.remove(job);
    if (gauges != null) {
      gauges.values().forEach(h -> registry.remove(h.gauge));
    }
  }

  /** Returns how many jobs have gauges. */
  public synchronized int jobs() {
    return jobs.size();
  }

  private void evict() {
    // Entries, not keys: get() on this access-ordered map would reorder it under the iterator.
    Iterator<Map.Entry<String, Map<String, Holder>>> eldest = jobs.entrySet().iterator();
    while (jobs.size() > maxJobs) {
      Map<String, Holder> gauges = eldest.next().getValue();
      eldest.remove();
      gauges.values().forEach(h -> registry.remove(h.gauge));
    }
  }
}
