package dev.retort.messaging.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class JobGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double value(String job, String layer) {
    var g = registry.find("w").tags("job", job, "layer", layer).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void gaugesAreUpdatedInPlaceAndRemovedWithTheLeastRecentlyActiveJob() {
    JobGauges gauges = new JobGauges(registry, 2);
    gauges.set("a", "w", Tags.of("layer", "1"), 0.5);
    gauges.set("a", "w", Tags.of("layer", "1"), 0.25);
    gauges.set("b", "w", Tags.of("layer", "1"), 1);
    assertThat(value("a", "1")).isEqualTo(0.25);
    assertThat(registry.find("w").gauges()).hasSize(2);
    gauges.set("a", "w", Tags.of("layer", "2"), 3); // a is now the most recent
    gauges.set("c", "w", Tags.of("layer", "1"), 4); // b goes
    assertThat(value("b", "1")).isNaN();
    assertThat(value("a", "2")).isEqualTo(3);
    assertThat(gauges.jobs()).isEqualTo(2);
    gauges.forget("a");
    assertThat(value("a", "1")).isNaN();
    assertThat(registry.find("w").gauges()).hasSize(1);
  }
}
