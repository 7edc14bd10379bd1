package dev.retort.bench.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void usedIsTheDifferenceOfTwoReadingsLargestFirstWithoutProcessesMissingFromEither() {
    Map<String, Double> before = new LinkedHashMap<>();
    before.put("kafka", 10.0);
    before.put("teacher", 100.0);
    before.put("trainer", 50.0);
    before.put("evaluator", 7.0); // gone before the second reading
    Map<String, Double> after = new LinkedHashMap<>();
    after.put("kafka", 12.5);
    after.put("teacher", 120.0);
    after.put("trainer", 59.0);
    after.put("loss", 3.0); // started after the first reading

    Map<String, Double> used = ProcessCpu.used(before, after);

    assertThat(used.keySet()).containsExactly("teacher", "trainer", "kafka");
    assertThat(used.values()).containsExactly(20.0, 9.0, 2.5);
  }

  @Test
  void thisProcessesCpuTimeGrowsWithWorkDoneOnIt() {
    double before = ProcessCpu.self();
    // Busy work until the process has used 50 ms more CPU: no timing assumption, only a bound on
    // how long a CPU clock that never moves would keep the test waiting.
    long giveUp = System.nanoTime() + 60_000_000_000L;
    double sink = 0;
    double after = before;
    while (after - before < 0.05 && System.nanoTime() < giveUp) {
      for (int i = 0; i < 1_000_000; i++) {
        sink += Math.sqrt(sink + i);
      }
      after = ProcessCpu.self();
    }

    assertThat(sink).isPositive();
    assertThat(after - before).as("CPU seconds used by the busy work").isGreaterThanOrEqualTo(0.05);
    assertThat(ProcessCpu.read(Map.of("self", ProcessHandle.current())))
        .containsOnlyKeys("self");
  }

  @Test
  void cpuUseReportsEachSidesShareOfTheCoresAndTheServicesApart() {
    JobRun here = new JobRun("j", "finished", "", 20, List.of(), List.of());
    JobRun there = new JobRun("j", "finished", "", 16, List.of(), List.of());
    Map<String, Double> services = new LinkedHashMap<>();
    services.put("teacher", 20.0);
    services.put("trainer", 8.0);
    services.put("kafka", 2.0);

    CpuUse u = CpuUse.of(here, 30.0, there, services);

    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(u.inProcessBusy()).isEqualTo(30.0 / (cores * 20));
    assertThat(u.platformTotal()).isEqualTo(30.0);
    assertThat(u.platformBusy()).isEqualTo(30.0 / (cores * 16));
    assertThat(u.toMap()).containsEntry("platform_cpu_seconds", 30.0).containsEntry("cores", cores);
    assertThat(u.text())
        .startsWith("CPU per job: in process 30.0 s in 20.0 s (")
        .endsWith("teacher 20.0, trainer 8.0, kafka 2.0");
    assertThat(CpuUse.of(here, Double.NaN, there, Map.of()).text())
        .isEqualTo("CPU per job: not reported by this system");
  }
}
