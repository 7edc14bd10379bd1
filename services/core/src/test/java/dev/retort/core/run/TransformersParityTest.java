package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.StateDicts;
import dev.retort.core.model.Taps;
import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.LoadOptions;
import dev.retort.core.weights.PretrainedWeights;
import dev.retort.core.weights.WeightLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retort export loaded by Hugging Face {@code transformers} itself, in a Python process: a
 * classifier on real MiniLM weights is written by {@link ModelDirectory#write}, then {@code
 * AutoModelForSequenceClassification} and {@code AutoTokenizer} load the directory, tokenise the
 * same sentences and compute logits. The token ids must be equal, no weight missing or left over,
 * and the logits equal to retort's within 1e-5.
 *
 * <p>Needs a Python with {@code torch} and {@code transformers}: {@code -Dretort.python=PATH} or
 * the environment variable {@code RETORT_PYTHON}; skipped without one (CI machines have none). See
 * the README section "Checking an export with transformers".
 */
class TransformersParityTest {
  private static final List<String> SENTENCES =
      List.of(
          "The quick brown fox jumps over the lazy dog.",
          "Knowledge distillation compresses a large model into a small one!",
          "unaffable naïveté: tokenisers disagree on rare words");
  private static final int LENGTH = 24;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String python() {
    String p = System.getProperty("retort.python", System.getenv("RETORT_PYTHON"));
    return p == null || p.isBlank() ? null : p;
  }

  @Test
  void transformersLoadsTheExportAndComputesRetortsLogits() throws Exception {
    String python = python();
    assumeTrue(python != null, "no Python given (-Dretort.python=PATH or RETORT_PYTHON)");
    Torch.noGradOnThisThread();
    PretrainedWeights w = WeightLoader.load("all-minilm-l6-v2", LoadOptions.defaults());
    Vocabulary vocab = Vocabulary.of(w.tokenizer().vocab(), w.source());
    WordPieceTokenizer tok = w.tokenizer().lowercase() ? WordPieceTokenizer.uncased(vocab) : WordPieceTokenizer.cased(vocab);
    SequenceEncoder enc = SequenceEncoder.builder().setTokenizer(tok).optMaxLength(LENGTH).build();
    int[][] ids = new int[SENTENCES.size()][];
    int[][] types = new int[SENTENCES.size()][];
    int[][] mask = new int[SENTENCES.size()][];
    for (int i = 0; i < SENTENCES.size(); i++) {
      EncodedExample e = enc.encode(SENTENCES.get(i));
      ids[i] = e.paddedInputIds(LENGTH, 0);
      types[i] = e.paddedSegmentIds(LENGTH);
      mask[i] = e.attentionMask(LENGTH);
    }
    List<String> labels = List.of("negative", "neutral", "positive");
    Path export = dir.resolve("export");
    float[][] logits = new float[SENTENCES.size()][];
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(7);
      var model = new BertForSequenceClassification(w.config(), HeadConfig.forClassification(labels.size()));
      LoadReport report = StateDicts.load(model, w.weights(), m, LoadPolicy.PRETRAINED_ENCODER);
      ModelDirectory.write(export, new LoadedModel(model, w.tokenizer(), labels, "minilm classifier", report));
      float[] flat =
          model.forward(new ParameterStore(m, false), BertInput.of(m, ids, types, mask), Taps.NONE, false)
              .logits()
              .toFloatArray(); // [B, C]
      for (int b = 0; b < SENTENCES.size(); b++) {
        logits[b] = java.util.Arrays.copyOfRange(flat, b * labels.size(), (b + 1) * labels.size());
      }
    }
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("sentences", SENTENCES);
    expected.put("max_length", LENGTH);
    expected.put("input_ids", ids);
    expected.put("logits", logits);
    Path expectedFile = dir.resolve("expected.json");
    JSON.writeValue(expectedFile.toFile(), expected);

    JsonNode r = runScript(python, export, expectedFile);

    assertThat(r.get("model_class").asText()).isEqualTo("BertForSequenceClassification");
    assertThat(r.get("missing_keys")).as("weights transformers had to initialise").isEmpty();
    assertThat(r.get("unexpected_keys")).as("weights transformers did not use").isEmpty();
    assertThat(r.get("ids_equal").asBoolean()).as("same token ids").isTrue();
    assertThat(r.get("max_abs_logit_diff").asDouble()).isLessThan(1e-5);
    // Not a vacuous match: the logits differ between sentences and classes.
    assertThat(Math.abs(logits[0][0] - logits[1][0]) + Math.abs(logits[0][0] - logits[0][1])).isGreaterThan(1e-3f);
  }

  private JsonNode runScript(String python, Path export, Path expected) throws IOException, InterruptedException {
    Path script = dir.resolve("transformers_parity.py");
    try (InputStream in = TransformersParityTest.class.getResourceAsStream("/python/transformers_parity.py")) {
      Files.copy(in, script);
    }
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), export.toString(), expected.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(dir.resolve("stderr.txt").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue())
        .as("the script failed:%n%s", Files.readString(dir.resolve("stderr.txt")))
        .isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
    return JSON.readTree(last);
  }
}
