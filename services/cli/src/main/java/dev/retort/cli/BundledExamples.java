package dev.retort.cli;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The example job files shipped in the jar under {@code jobs/}, by name. */
public final class BundledExamples {
  /** Every example and what it shows. */
  public static final Map<String, String> EXAMPLES = examples();

  private BundledExamples() {}

  private static Map<String, String> examples() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "demo",
        "What 'retort demo' runs on the local platform: MiniLM teacher fine-tuned, 2-layer student"
            + " distilled with BERT-EMD through the services");
    m.put(
        "sample-emd",
        "BERT-EMD on the synthetic sample data: MiniLM teacher fine-tuned briefly, 4-layer"
            + " student");
    m.put(
        "glue-sst2-emd",
        "BERT-EMD on GLUE SST-2 with the hyper-parameters of the BERT-EMD README (4 layers)");
    m.put("hrkd-amazon", "HRKD across the four Amazon review domains");
    m.put(
        "sample-hrkd",
        "HRKD across the four domains of the synthetic sample data: MiniLM teacher with a head per"
            + " domain, 3-layer student");
    m.put(
        "sample-efficientbert",
        "EfficientBERT's FFN search on the synthetic sample data, cut down to run on a CPU");
    m.put(
        "efficientbert-mnli",
        "EfficientBERT's stage-1 FFN search on MNLI with the reference settings (retort search)");
    m.put("table-csv", "Your own CSV files: columns, labels, logits KD into a small student");
    return Collections.unmodifiableMap(m);
  }

  /**
   * Returns an example's YAML text.
   *
   * @param name the example name (with or without {@code .yaml})
   * @return the text
   * @throws RetortException if there is no such example
   */
  public static String text(String name) {
    String n = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name;
    if (!EXAMPLES.containsKey(n)) {
      throw new RetortException(
          "example '" + name + "'",
          "no such example",
          "Known examples: " + String.join(", ", EXAMPLES.keySet()));
    }
    try (InputStream in = BundledExamples.class.getResourceAsStream("/jobs/" + n + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("example " + n + " is listed but not in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
