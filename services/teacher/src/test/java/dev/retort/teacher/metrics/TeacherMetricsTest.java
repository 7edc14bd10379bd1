package dev.retort.teacher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TeacherMetricsTest {

  @Test
  void pendingRequestsCountDownAsServedAndTheirPeakIsKept() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TeacherMetrics metrics = new TeacherMetrics(registry);
    metrics.polled(8);
    metrics.served(1);
    metrics.served(2);
    assertThat(registry.get("retort.teacher.requests.pending").gauge().value()).isEqualTo(5.0);
    metrics.served(5);
    metrics.polled(3);
    assertThat(registry.get("retort.teacher.requests.pending").gauge().value()).isEqualTo(3.0);
    assertThat(registry.get("retort.teacher.requests.pending.max").gauge().value()).isEqualTo(8.0);
  }
}
