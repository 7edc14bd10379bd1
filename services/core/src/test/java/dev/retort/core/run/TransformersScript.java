package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code python/transformers_parity.py} (a test resource) in the Python that {@code
 * -Dretort.python=PATH} or {@code RETORT_PYTHON} names: transformers loads an export and scores the
 * sentences retort scored. The tests that use it are skipped without a Python (CI has none).
 */
final class TransformersScript {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TransformersScript() {}

  /** A padded batch as retort encodes it: ids, segment ids and attention mask, each [B][L]. */
  record Batch(int[][] ids, int[][] types, int[][] mask) {}

  /** Encodes sentences as retort does, padded to {@code length}. */
  static Batch encode(WordPieceTokenizer tokenizer, List<String> sentences, int length) {
    SequenceEncoder enc =
        SequenceEncoder.builder().setTokenizer(tokenizer).optMaxLength(length).build();
    int n = sentences.size();
    Batch b = new Batch(new int[n][], new int[n][], new int[n][]);
    for (int i = 0; i < n; i++) {
      EncodedExample e = enc.encode(sentences.get(i));
      b.ids()[i] = e.paddedInputIds(length, 0);
      b.types()[i] = e.paddedSegmentIds(length);
      b.mask()[i] = e.attentionMask(length);
    }
    return b;
  }

  /** Splits a row-major [B, C] array into B rows. */
  static float[][] rows(float[] flat, int columns) {
    float[][] out = new float[flat.length / columns][];
    for (int r = 0; r < out.length; r++) {
      out[r] = Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
    }
    return out;
  }

  /** Returns the Python to run, or null when none is configured. */
  static String python() {
    String p = System.getProperty("retort.python", System.getenv("RETORT_PYTHON"));
    return p == null || p.isBlank() ? null : p;
  }

  /**
   * Runs the script on an export and checks that transformers loaded it exactly: the expected
   * class, no weight missing or left over, the same token ids and logits within 1e-5.
   *
   * @param python the interpreter
   * @param work a scratch directory
   * @param export the model directory
   * @param sentences the sentences retort scored
   * @param batch how retort encoded them
   * @param logits retort's logits, [B][C]
   * @param remoteCode whether the directory carries its model code ({@code trust_remote_code})
   * @param modelClass the class transformers must choose
   */
  static void assertLoadsWithSameLogits(
      String python,
      Path work,
      Path export,
      List<String> sentences,
      Batch batch,
      float[][] logits,
      boolean remoteCode,
      String modelClass)
      throws IOException, InterruptedException {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("sentences", sentences);
    expected.put("max_length", batch.ids()[0].length);
    expected.put("input_ids", batch.ids());
    expected.put("logits", logits);
    expected.put("trust_remote_code", remoteCode);

    JsonNode r = run(python, work, export, expected);

    assertThat(r.get("model_class").asText()).isEqualTo(modelClass);
    assertThat(r.get("missing_keys")).as("weights transformers had to initialise").isEmpty();
    assertThat(r.get("unexpected_keys")).as("weights transformers did not use").isEmpty();
    assertThat(r.get("ids_equal").asBoolean()).as("same token ids").isTrue();
    assertThat(r.get("max_abs_logit_diff").asDouble()).isLessThan(1e-5);
  }

  /**
   * Writes the expectations and runs the script on an export.
   *
   * @param python the interpreter
   * @param work a scratch directory (script, expectations and the script's stderr go there)
   * @param export the model directory
   * @param expected what retort computed: sentences, max_length, input_ids, logits, and optionally
   *     trust_remote_code
   * @return the script's summary: model_class, missing_keys, unexpected_keys, ids_equal,
   *     max_abs_logit_diff, logits
   */
  private static JsonNode run(String python, Path work, Path export, Object expected)
      throws IOException, InterruptedException {
    Path expectedFile = work.resolve("expected-" + export.getFileName() + ".json");
    JSON.writeValue(expectedFile.toFile(), expected);
    Path script = work.resolve("transformers_parity.py");
    if (!Files.exists(script)) {
      try (InputStream in =
          TransformersScript.class.getResourceAsStream("/python/transformers_parity.py")) {
        Files.copy(in, script);
      }
    }
    Path stderr = work.resolve("stderr-" + export.getFileName() + ".txt");
    Process p =
        new ProcessBuilder(List.of(python, script.toString(), export.toString(), expectedFile.toString()))
            .redirectError(stderr.toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("the script failed:%n%s", Files.readString(stderr)).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
    return JSON.readTree(last);
  }
}
