package dev.retort.deploy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleTest {

  @Test
  void expositionLinesParseIntoNameLabelsAndValueWithEscapesAndSpecialValues() {
    List<Sample> s = Sample.parse("""
        # HELP retort_trainer_loss  
        # TYPE retort_trainer_loss gauge
        retort_trainer_loss{job="j-1",method="bert-emd",term="total"} 0.375
        retort_trainer_jobs_running 1.0
        x{a="q\\"uote,{}",b="2"} NaN
        y +Inf
        """);
    assertThat(s).hasSize(4);
    assertThat(s.get(0)).isEqualTo(new Sample("retort_trainer_loss", Map.of("job", "j-1", "method", "bert-emd", "term", "total"), 0.375));
    assertThat(s.get(1).labels()).isEmpty();
    assertThat(s.get(2).labels()).containsEntry("a", "q\"uote,{}").containsEntry("b", "2");
    assertThat(s.get(2).value()).isNaN();
    assertThat(s.get(3).value()).isInfinite();
  }

  @Test
  void scrapesSumMatchingSamplesAndTheChartRendersFromThem() {
    Scrape a = new Scrape(0, Sample.parse("""
        retort_trainer_steps_total{job="j",method="m",phase="distill"} 10
        retort_trainer_step_seconds_sum{job="j",part="forward"} 1.0
        retort_trainer_step_seconds_count{job="j",part="forward"} 2
        retort_trainer_loss{job="j",method="m",term="total"} 0.9
        """));
    Scrape b = new Scrape(5, Sample.parse("""
        retort_trainer_steps_total{job="j",method="m",phase="distill"} 20
        retort_trainer_steps_total{job="j",method="m",phase="teacher-finetune"} 5
        retort_trainer_step_seconds_sum{job="j",part="forward"} 2.5
        retort_trainer_step_seconds_count{job="j",part="forward"} 5
        retort_trainer_loss{job="j",method="m",term="total"} 0.7
        """));
    assertThat(b.sum("retort_trainer_steps_total", Map.of("job", "j")).getAsDouble()).isEqualTo(25.0);
    assertThat(a.sum("retort_trainer_steps_total", Map.of("job", "other"))).isEmpty();
    BufferedImage img = SnapshotChart.render(List.of(a, b), "j", List.of("test"));
    assertThat(img.getWidth()).isEqualTo(1280);
  }

  @Test
  void theChartStartsAtTheFirstScrapeThatShowsTheJob() {
    List<Scrape> recorded = List.of(
        new Scrape(0, Sample.parse("retort_loss_solves_total{method=\"emd\"} 3\n")),
        new Scrape(5, Sample.parse("retort_loss_solves_total{method=\"emd\"} 7\nretort_trainer_steps_total{job=\"other\"} 1\n")),
        new Scrape(10, Sample.parse("retort_loss_solves_total{method=\"emd\"} 9\nretort_trainer_steps_total{job=\"j\"} 1\n")),
        new Scrape(15, Sample.parse("retort_trainer_steps_total{job=\"j\"} 4\n")));
    List<Scrape> kept = SnapshotChart.fromJobStart(recorded, "j");
    assertThat(kept).extracting(Scrape::seconds).containsExactly(0.0, 5.0);
    assertThat(kept.get(0).sum("retort_loss_solves_total", Map.of()).getAsDouble()).isEqualTo(9.0);
    assertThat(SnapshotChart.fromJobStart(recorded, "never")).isEmpty();
  }

  @Test
  void aRecordingSurvivesAJsonRoundTripIncludingNaNAndInfiniteValues(@TempDir Path dir) throws Exception {
    Recording r = new Recording("j", "2026-01-01", 5, "ok",
        List.of(new Scrape(1.5, Sample.parse("a{b=\"c\"} 2.0\nx NaN\ny +Inf\nz -Inf\n"))));
    r.write(dir.resolve("r.json"));
    assertThat(Recording.read(dir.resolve("r.json"))).isEqualTo(r);
  }
}
