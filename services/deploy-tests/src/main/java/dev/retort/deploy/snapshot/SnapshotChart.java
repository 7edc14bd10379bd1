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
 * PromQL computes: gauges as they are, counters as increases per second between scrapes, the
 * step-time timer as increase of its sum over increase of its count per part.
 */
public final class SnapshotChart {
  private static final int W = 640;
  private static final int H = 330;

  private SnapshotChart() {}

  /**
   * Renders four panels and a title into one image.
   *
   * @param scrapes the recording, in time order
   * @param job the job id
   * @param title the image's title line
   * @return the image
   */
  public static BufferedImage render(List<Scrape> scrapes, String job, String title) {
    List<XYChart> charts = List.of(
        gauges(scrapes, "Loss terms (teacher fine-tuning, then distillation)", "retort_trainer_loss", Map.of("job", job), "term", "loss"),
        stepParts(scrapes, job),
        gauges(scrapes, "BERT-EMD student layer weights, attention", "retort_loss_emd_layer_weight",
            Map.of("job", job, "side", "student", "kind", "att"), "layer", "weight"),
        throughput(scrapes, job));
    BufferedImage out = new BufferedImage(2 * W, 2 * H + 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    g.drawString(title, 12, 26);
    for (int i = 0; i < charts.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % 2) * W, 40 + (i / 2) * H, null);
    }
    g.dispose();
    return out;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("seconds").yAxisTitle(yTitle).build();
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

  /** Mean seconds per step of each part: increase(sum) / increase(count) between scrapes. */
  private static XYChart stepParts(List<Scrape> scrapes, String job) {
    XYChart c = chart("Step time breakdown (mean s per step)", "seconds");
    Map<String, String> match = Map.of("job", job);
    for (String part : values(scrapes, "retort_trainer_step_seconds_sum", match, "part")) {
      Map<String, String> m = with(match, "part", part);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = 1; i < scrapes.size(); i++) {
        OptionalDouble s0 = scrapes.get(i - 1).sum("retort_trainer_step_seconds_sum", m);
        OptionalDouble s1 = scrapes.get(i).sum("retort_trainer_step_seconds_sum", m);
        OptionalDouble n0 = scrapes.get(i - 1).sum("retort_trainer_step_seconds_count", m);
        OptionalDouble n1 = scrapes.get(i).sum("retort_trainer_step_seconds_count", m);
        if (s0.isPresent() && s1.isPresent() && n1.getAsDouble() > n0.getAsDouble()) {
          x.add(scrapes.get(i).seconds());
          y.add((s1.getAsDouble() - s0.getAsDouble()) / (n1.getAsDouble() - n0.getAsDouble()));
        }
      }
      add(c, part, x, y);
    }
    return c;
  }

  /** Training steps and teacher examples per second: counter increase over time between scrapes. */
  private static XYChart throughput(List<Scrape> scrapes, String job) {
    XYChart c = chart("Throughput (per second)", "per second");
    rate(c, scrapes, "training steps", "retort_trainer_steps_total", Map.of("job", job));
    rate(c, scrapes, "teacher examples / 10", "retort_teacher_examples_total", Map.of(), 0.1);
    rate(c, scrapes, "loss solves", "retort_loss_solves_total", Map.of());
    return c;
  }

  private static void rate(XYChart c, List<Scrape> scrapes, String label, String metric, Map<String, String> match) {
    rate(c, scrapes, label, metric, match, 1.0);
  }

  private static void rate(XYChart c, List<Scrape> scrapes, String label, String metric, Map<String, String> match, double scale) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 1; i < scrapes.size(); i++) {
      OptionalDouble a = scrapes.get(i - 1).sum(metric, match);
      OptionalDouble b = scrapes.get(i).sum(metric, match);
      double dt = scrapes.get(i).seconds() - scrapes.get(i - 1).seconds();
      if (a.isPresent() && b.isPresent() && dt > 0) {
        x.add(scrapes.get(i).seconds());
        y.add(scale * Math.max(0, b.getAsDouble() - a.getAsDouble()) / dt);
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
