package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.RetortException;
import dev.retort.core.io.DigestSink;
import dev.retort.core.io.DirectorySink;
import dev.retort.core.io.FileSink;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.HfConfig;
import dev.retort.core.weights.HfConfigJson;
import dev.retort.core.weights.HfModelDirectory;
import dev.retort.core.weights.HfModelDirectoryWriter;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.SafetensorsWriter;
import dev.retort.core.weights.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained model on disk: a Hugging Face directory ({@code config.json}, {@code
 * model.safetensors}, {@code vocab.txt}, tokenizer files) that {@code transformers} loads as {@code
 * BertForSequenceClassification}, plus {@code retort-head.json} with what transformers has no field
 * for (domains, the pooled activation) and, for multi-domain models, {@code heads.safetensors}
 * with every domain's classifier. The {@code classifier} in {@code model.safetensors} is then the
 * first domain's.
 */
public final class ModelDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEAD_FILE = "retort-head.json";
  private static final String HEADS_FILE = "heads.safetensors";
  private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

  private ModelDirectory() {}

  /**
   * Writes a model as a user-facing export: {@link #write(Path, LoadedModel)}, plus a warning in
   * the log when {@code transformers} will not compute the same logits ({@link
   * #transformersCaveat}).
   *
   * @param dir the directory (created; files replaced)
   * @param m the model
   * @return the caveat, or empty
   * @throws IOException if writing fails
   */
  public static Optional<String> export(Path dir, LoadedModel m) throws IOException {
    write(dir, m);
    Optional<String> caveat = transformersCaveat(m.head());
    caveat.ifPresent(c -> LOG.warn("Export {}: {}", dir, c));
    return caveat;
  }

  /**
   * Says where {@code transformers}' {@code BertForSequenceClassification} computes other logits
   * than retort for a head: with {@code pooled-activation: relu} (the BERT-EMD code's ReLU between
   * pooler and classifier), which transformers has no layer for. Retort's own loaders read it from
   * {@code retort-head.json}.
   *
   * @param head the head
   * @return the caveat, or empty when transformers computes retort's logits
   */
  public static Optional<String> transformersCaveat(HeadConfig head) {
    if (head.pooledActivation() == PooledActivation.NONE) {
      return Optional.empty();
    }
    return Optional.of(
        "the model applies " + head.pooledActivation().name().toLowerCase(Locale.ROOT)
            + " between pooler and classifier (pooled-activation), which transformers' BertForSequenceClassification"
            + " does not: loaded there, its logits differ from retort's (retort reads retort-head.json)."
            + " Train with pooled-activation none for a model transformers reproduces exactly");
  }

  /**
   * Writes a model.
   *
   * @param dir the directory (created; files replaced)
   * @param m the model
   * @throws IOException if writing fails
   */
  public static void write(Path dir, LoadedModel m) throws IOException {
    write(new DirectorySink(dir), m);
  }

  /**
   * Writes a model's files to a sink: a directory, or a digest of the content (see {@link
   * #contentDigest(LoadedModel)}).
   *
   * @param sink where the files go
   * @param m the model
   * @throws IOException if writing fails
   */
  public static void write(FileSink sink, LoadedModel m) throws IOException {
    StateDict sd = StateDicts.toStateDict(m.model(), m.source());
    HeadConfig head = m.head();
    if (head.multiDomain()) {
      StateDict heads = new StateDict(m.source());
      StateDict main = new StateDict(m.source());
      sd.asMap().forEach((k, v) -> {
        if (k.startsWith("classifiers.")) {
          heads.put(k, v);
          if (k.startsWith("classifiers.0.")) {
            main.put("classifier." + k.substring("classifiers.0.".length()), v);
          }
        } else {
          main.put(k, v);
        }
      });
      sink.write(HEADS_FILE, ch -> SafetensorsWriter.write(ch, heads, heads.metadata()));
      sd = main;
    }
    HfConfig config =
        head.regression() ? HfConfig.regression(m.config()) : HfConfig.classifier(m.config(), m.labels());
    HfModelDirectoryWriter.write(sink, config, sd, m.tokenizerFiles());
    ObjectNode h = JSON.createObjectNode();
    h.put("regression", head.regression());
    h.put("pooled_activation", head.pooledActivation().name().toLowerCase(Locale.ROOT));
    h.put("classifier_dropout", head.classifierDropout());
    h.putPOJO("domains", head.domains());
    h.putPOJO("labels", m.labels());
    h.put("source", m.source());
    sink.writeBytes(HEAD_FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(h));
  }

  /**
   * Returns the content digest of the directory {@link #write(Path, LoadedModel)} would write,
   * without writing it: {@link DigestSink#of(Path)} of that directory gives the same value.
   *
   * @param m the model
   * @return 64 hex digits
   * @throws IOException if serialising fails
   */
  public static String contentDigest(LoadedModel m) throws IOException {
    DigestSink sink = new DigestSink();
    write(sink, m);
    return sink.hex();
  }

  /**
   * Reads a model written by {@link #write} or any Hugging Face BERT classification directory.
   *
   * @param dir the directory
   * @param manager where the weights are allocated
   * @return the model
   */
  public static LoadedModel read(Path dir, NDManager manager) {
    if (!Files.isDirectory(dir)) {
      throw new RetortException(dir.toString(), "model directory does not exist", "Check the path or the run that should have written it");
    }
    HfConfig config = HfModelDirectory.readConfig(dir);
    StateDict weights = HfModelDirectory.readWeights(dir);
    TokenizerFiles tok = HfModelDirectory.readTokenizer(dir);
    List<String> labels = new ArrayList<>(config.labels());
    boolean regression = config.problemType() == HfConfig.ProblemType.REGRESSION || labels.size() == 1;
    List<String> domains = List.of("default");
    PooledActivation act = PooledActivation.NONE;
    float dropout = 0.1f;
    Path headFile = dir.resolve(HEAD_FILE);
    if (Files.exists(headFile)) {
      try {
        var h = JSON.readTree(headFile.toFile());
        regression = h.path("regression").asBoolean(regression);
        act = PooledActivation.valueOf(h.path("pooled_activation").asText("none").toUpperCase(Locale.ROOT));
        dropout = (float) h.path("classifier_dropout").asDouble(0.1);
        List<String> d = new ArrayList<>();
        h.path("domains").forEach(n -> d.add(n.asText()));
        if (!d.isEmpty()) {
          domains = d;
        }
        List<String> l = new ArrayList<>();
        h.path("labels").forEach(n -> l.add(n.asText()));
        if (!l.isEmpty()) {
          labels = l;
        }
      } catch (IOException e) {
        throw new RetortException(headFile.toString(), "unreadable: " + e.getMessage(), "Re-export the model", e);
      }
    }
    int numLabels = regression ? 1 : labels.size();
    HeadConfig head = new HeadConfig(numLabels, regression, domains, act, dropout);
    if (head.multiDomain()) {
      StateDict heads = SafetensorsReader.read(dir.resolve(HEADS_FILE));
      weights.remove("classifier.weight");
      weights.remove("classifier.bias");
      heads.asMap().forEach(weights::put);
    }
    BertForSequenceClassification model = new BertForSequenceClassification(config.bert(), head);
    LoadReport report = StateDicts.load(model, weights, manager, LoadPolicy.STRICT);
    return new LoadedModel(model, tok, labels, dir.toString(), report);
  }

  /** Returns whether a directory holds a model written by {@link #write} or transformers. */
  public static boolean isModelDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve("config.json"));
  }

  /** Returns the HF config of a directory without loading weights (evaluator, serving). */
  public static HfConfig config(Path dir) {
    return HfConfigJson.read(dir.resolve("config.json"));
  }
}
