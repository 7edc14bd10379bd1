package dev.retort.cli;

import dev.retort.core.run.JobResult;
import dev.retort.core.run.ModelScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The result tables of {@code distill}, {@code finetune} and {@code eval}. */
public final class ScoreTables {
  private ScoreTables() {}

  /**
   * Returns teacher against student: every metric on dev and test with the share the student
   * retains, then parameters and CPU latency with the compression and speed-up factors.
   *
   * @param r the job's result
   * @return the table
   */
  public static TextTable comparison(JobResult r) {
    ModelScore t = r.teacher();
    ModelScore s = r.student();
    TextTable table =
        new TextTable("", "teacher", "student", "student / teacher").rightAligned(1, 2, 3);
    for (String split : List.of("dev", "test")) {
      Map<String, Double> tm = split.equals("dev") ? t.dev() : t.test();
      Map<String, Double> sm = split.equals("dev") ? s.dev() : s.test();
      for (String key : metricOrder(t.metric(), tm)) {
        Double sv = sm.get(key);
        Double tv = tm.get(key);
        String share =
            sv == null || tv == null ? Formats.NONE : Formats.percent(sv / tv) + " retained";
        table.row(split + " " + key, Formats.metric(tv), Formats.metric(sv), share);
      }
    }
    table.row(
        "parameters",
        Formats.parameters(t.parameters()),
        Formats.parameters(s.parameters()),
        Formats.factor((double) t.parameters() / s.parameters()) + " smaller");
    table.row(
        "CPU latency (ms, batch 1)",
        Formats.millis(t.latencyMs()),
        Formats.millis(s.latencyMs()),
        Formats.factor(r.speedup()) + " faster");
    return table;
  }

  /**
   * Returns one model's metrics on dev and test.
   *
   * @param score the model's score
   * @return the table: metric, dev, test
   */
  public static TextTable metrics(ModelScore score) {
    TextTable table = new TextTable("metric", "dev", "test").rightAligned(1, 2);
    for (String key : metricOrder(score.metric(), score.dev())) {
      table.row(
          key + (key.equals(score.metric()) ? " (selection)" : ""),
          Formats.metric(score.dev().get(key)),
          Formats.metric(score.test().get(key)));
    }
    return table;
  }

  /** Returns the selection metric first, then the others in name order. */
  static List<String> metricOrder(String selection, Map<String, Double> values) {
    List<String> keys = new ArrayList<>();
    if (values.containsKey(selection)) {
      keys.add(selection);
    }
    values.keySet().stream().filter(k -> !k.equals(selection)).sorted().forEach(keys::add);
    return keys;
  }
}
