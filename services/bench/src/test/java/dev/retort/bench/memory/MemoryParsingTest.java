package dev.retort.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryParsingTest {

  @Test
  void statusLinesGiveRssAndPeakInKib() {
    String text =
        "Name:\tjava\n"
            + "VmPeak:\t 9000000 kB\n"
            + "VmHWM:\t  812344 kB\n"
            + "VmRSS:\t  700100 kB\n"
            + "Threads:\t42\n";
    assertThat(ProcStatus.parse(text)).isEqualTo(new ProcStatus(700_100, 812_344));
    assertThatThrownBy(() -> ProcStatus.parse("VmRSS: 1 kB\n")).hasMessageContaining("VmHWM");
  }

  @Test
  void thisProcessHasAResidentSetOnLinux() {
    ProcStatus.read()
        .ifPresent(
            s -> {
              assertThat(s.rssKib()).isPositive();
              assertThat(s.hwmKib()).isGreaterThanOrEqualTo(s.rssKib());
            });
  }

  @Test
  void growthIsMeasuredFromTheFirstSampleAfterWarmupAndLogLinesAreIgnored() {
    List<String> out =
        List.of(
            "[main] WARN something",
            "{\"step\":0,\"rss_kib\":1000,\"hwm_kib\":1000,\"seconds\":0.0}",
            "{\"step\":10,\"rss_kib\":2000,\"hwm_kib\":2100,\"seconds\":1.0}",
            "{\"step\":20,\"rss_kib\":2050,\"hwm_kib\":2100,\"seconds\":2.0}",
            "{\"step\":30,\"rss_kib\":2100,\"hwm_kib\":2200,\"seconds\":3.0}");
    MemorySamples m = MemorySamples.parse(out, 8);
    assertThat(m.samples()).hasSize(4);
    assertThat(m.afterWarmup().step()).isEqualTo(10);
    assertThat(m.growth()).isCloseTo(0.05, within(1e-12));
    assertThat(m.peakKib()).isEqualTo(2200);
    // RSS rises 5 KiB per step from step 10 on: 5000 KiB per 1000 steps.
    assertThat(m.slopeKibPerThousandSteps()).isCloseTo(5000, within(1e-9));
  }

  @Test
  void probeArgumentsMustBeComplete() {
    assertThatThrownBy(() -> MemoryProbe.arguments(new String[] {"--student", "tiny"}))
        .hasMessageContaining("missing --teacher");
  }
}
