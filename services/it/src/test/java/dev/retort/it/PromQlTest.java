package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void functionsAggregationsLabelsRangesAndVariablesAreNotMetricNames() {
    assertThat(PromQl.metricNames(
        "sum by (job, part) (rate(retort_trainer_step_seconds_sum{job=~\"$job\", part!=\"x{y}\"}[$__rate_interval]))"
            + " / ignoring(part) group_left sum(rate(retort_trainer_step_seconds_count[5m] offset 1h))"))
        .containsExactly("retort_trainer_step_seconds_sum", "retort_trainer_step_seconds_count");
  }

  @Test
  void operandsOfBinaryOperatorsAndSetOperatorsAreAllFound() {
    assertThat(PromQl.metricNames("(sum(increase(a_total[1h])) or vector(0)) + on(job) b * 1e-3 > bool 0.5 unless c"))
        .containsExactly("a_total", "b", "c");
    assertThat(PromQl.metricNames("max(kafka_consumer_fetch_manager_records_lag_max{service=~\"${service}\"}) * 60"))
        .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
    assertThat(PromQl.metricNames("topk(5, x) @ start()")).containsExactly("x");
  }

  @Test
  void grafanaVariableQueriesNameTheirSelectorOnly() {
    assertThat(PromQl.variableMetricNames("label_values(process_uptime_seconds{service=~\"retort-.*\"}, service)"))
        .containsExactly("process_uptime_seconds");
    assertThat(PromQl.variableMetricNames("label_values(job)")).isEmpty();
    assertThat(PromQl.variableMetricNames("query_result(sum by (job) (retort_trainer_jobs_running))"))
        .containsExactly("retort_trainer_jobs_running");
  }
}
