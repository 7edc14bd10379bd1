package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.Home;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The extraction that PlatformIT's dashboard check relies on finds names, and only names. */
class DashboardsTest {

  @Test
  void metricNamesAreCollectedFromPanelsAndVariablesButNoLabelOrFunctionIs() throws Exception {
    Map<String, Set<String>> used = Dashboards.queriedMetrics(Home.root().resolve("grafana/dashboards"));
    assertThat(used.keySet())
        .contains("retort_trainer_step_seconds_sum", "retort_loss_emd_flow", "retort_loss_hrkd_ratio",
            "retort_evaluator_best", "kafka_consumer_fetch_manager_records_lag_max", "process_uptime_seconds",
            "jvm_memory_used_bytes", "retort_teacher_published_bytes_total")
        .doesNotContain("job", "service", "part", "rate", "sum", "vector", "label_values", "le", "instance");
    assertThat(used.get("process_uptime_seconds")).anyMatch(where -> where.contains("$service"));
    assertThat(used.keySet()).allMatch(name -> name.matches("[a-z_:][a-z0-9_:]*"));
  }

  @Test
  void exportedNamesAreTheSampleNamesOfTheExposition() {
    assertThat(Dashboards.exportedNames("""
        # HELP a_total x
        # TYPE a_total counter
        a_total{job="j"} 1.0
        b_seconds_max 2.0
        b_seconds_count{x="y"} 3
        """)).containsExactly("a_total", "b_seconds_count", "b_seconds_max");
  }
}
