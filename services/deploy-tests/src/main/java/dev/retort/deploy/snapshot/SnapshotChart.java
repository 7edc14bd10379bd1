package dev.retort.deploy.snapshot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the training dashboard's main panels from recorded scrapes, computing what the panels'
 * PromQL computes: gauges as they are, counters as {@code rate(x[w])} and the step-time timer as
 * {@code increase(sum[w]) / increase(count[w])} per part, over a window w of {@value #WINDOW}
 * scrape intervals (Grafana's {@code $__rate_interval} is at least four scrape intervals).
 */
public final class SnapshotChart {
  private static final int W = 640;
  private static final int H = 330;
  /** Scrape intervals per rate window. */
  static final int WINDOW = 4;

  private SnapshotChart() {}

  /**
   * Renders four panels and a title into one image, from the first scrape that shows the job (the
   * teacher and loss counters carry no job tag, so earlier scrapes would show other jobs' work).
   *
   * @param scrapes the recording, in time order
   * @param job the job id
   * @param title the title lines drawn above the panels
   * @return the image
   */
  public static BufferedImage render(List<Scrape> recorded, String job, List<String> title) {
    List<Scrape> scrapes = fromJobStart(recorded, job);
    List<XYChart> charts = List.of(
        gauges(scrapes, "Loss terms (teacher fine-tuning, then distillation)", "retort_trainer_loss", Map.of("job", job), "term", "loss"),
        stepParts(scrapes, job),
        gauges(scrapes, "BERT-EMD student layer weights, attention", "retort_loss_emd_layer_weight",
            Map.of("job", job, "side", "student", "kind", "att"), "layer", "weight"),
        throughput(scrapes, job));
    int top = 14 + 20 * title.size();
    BufferedImage out = new BufferedImage(2 * W, 2 * H + top, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    for (int i = 0; i < title.size(); i++) {
      g.drawString(title.get(i), 12, 24 + 20 * i);
    }
    for (int i = 0; i < charts.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % 2) * W, top + (i / 2) * H, null);
    }
    g.dispose();
    return out;
  }

  /**
   * Returns the scrapes from the first one with a sample labelled with the job, their times counted
   * from that scrape.
   *
   * @param scrapes the recording, in time order
   * @param job the job id
   * @return the scrapes since the job appeared (empty if it never does)
   */
  static List<Scrape> fromJobStart(List<Scrape> scrapes, String job) {
    Map<String, String> match = Map.of("job", job);
    for (int i = 0; i < scrapes.size(); i++) {
      if (scrapes.get(i).samples().stream().anyMatch(s -> s.has(match))) {
        double t0 = scrapes.get(i).seconds();
        return scrapes.subList(i, scrapes.size()).stream().map(s -> new Scrape(s.seconds() - t0, s.samples())).toList();
      }
    }
    return List.of();
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("seconds since the job started").yAxisTitle(yTitle).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    c.getStyler().setMarkerSize(0);
    c.getStyler().setPlotGridLinesVisible(true);
    return c;
  }

  /** One series per value of {@code by}, gauge values as scraped. */
  private static XYChart gauges(List<Scrape> scrapes, String title, String metric, Map<String, String> match, String by, String yTitle) {
    XYChart c = chart(title, yTitle);
    for (String v : values(scrapes, metric, match, by)) {
      Map<String, String> m = with(match, by, v);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Scrape s : scrapes) {
        OptionalDouble d = s.sum(metric, m);
        if (d.isPresent()) {
          x.add(s.seconds());
          y.add(d.getAsDouble());
        }
      }
      add(c, by + " " + v, x, y);
    }
    return c;
  }

  /** Mean seconds per step of each part: increase(sum) / increase(count) over the window. */
  private static XYChart stepParts(List<Scrape> scrapes, String job) {
    XYChart c = chart("Step time breakdown (mean s per step)", "seconds");
    Map<String, String> match = Map.of("job", job);
    for (String part : values(scrapes, "retort_trainer_step_seconds_sum", match, "part")) {
      Map<String, String> m = with(match, "part", part);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = WINDOW; i < scrapes.size(); i++) {
        OptionalDouble s0 = scrapes.get(i - WINDOW).sum("retort_trainer_step_seconds_sum", m);
        OptionalDouble s1 = scrapes.get(i).sum("retort_trainer_step_seconds_sum", m);
        OptionalDouble n0 = scrapes.get(i - WINDOW).sum("retort_trainer_step_seconds_count", m);
        OptionalDouble n1 = scrapes.get(i).sum("retort_trainer_step_seconds_count", m);
        if (s0.isPresent() && s1.isPresent() && n0.isPresent() && n1.getAsDouble() > n0.getAsDouble()) {
          x.add(scrapes.get(i).seconds());
          y.add((s1.getAsDouble() - s0.getAsDouble()) / (n1.getAsDouble() - n0.getAsDouble()));
        }
      }
      add(c, part, x, y);
    }
    return c;
  }

  /** Training steps, teacher batches and loss solves per second: rate over the window. */
  private static XYChart throughput(List<Scrape> scrapes, String job) {
    XYChart c = chart("Throughput (per second)", "per second");
    rate(c, scrapes, "training steps", "retort_trainer_steps_total", Map.of("job", job));
    rate(c, scrapes, "teacher batches", "retort_teacher_batches_total", Map.of());
    rate(c, scrapes, "loss solves", "retort_loss_solves_total", Map.of());
    return c;
  }

  private static void rate(XYChart c, List<Scrape> scrapes, String label, String metric, Map<String, String> match) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = WINDOW; i < scrapes.size(); i++) {
      OptionalDouble a = scrapes.get(i - WINDOW).sum(metric, match);
      OptionalDouble b = scrapes.get(i).sum(metric, match);
      double dt = scrapes.get(i).seconds() - scrapes.get(i - WINDOW).seconds();
      double start = a.isPresent() ? a.getAsDouble() : 0; // a counter not yet created counts as 0
      if (b.isPresent() && dt > 0) {
        x.add(scrapes.get(i).seconds());
        y.add(Math.max(0, b.getAsDouble() - start) / dt);
      }
    }
    add(c, label, x, y);
  }

  private static void add(XYChart c, String name, List<Double> x, List<Double> y) {
    if (!x.isEmpty()) {
      c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
  }

  private static TreeSet<String> values(List<Scrape> scrapes, String metric, Map<String, String> match, String label) {
    TreeSet<String> out = new TreeSet<>();
    for (Scrape s : scrapes) {
      for (Sample x : s.samples()) {
        if (x.name().equals(metric) && x.has(match) && x.labels().containsKey(label)) {
          out.add(x.labels().get(label));
        }
      }
    }
    return out;
  }

  private static Map<String, String> with(Map<String, String> m, String k, String v) {
    Map<String, String> out = new java.util.HashMap<>(m);
    out.put(k, v);
    return out;
  }
}
