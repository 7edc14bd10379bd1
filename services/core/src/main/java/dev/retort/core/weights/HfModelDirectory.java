package dev.retort.core.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Loads a Hugging Face BERT model directory: {@code config.json}, weights in {@code
 * model.safetensors} (or shards listed in {@code model.safetensors.index.json}), and {@code
 * vocab.txt} and/or {@code tokenizer.json}.
 *
 * <p>Pickled PyTorch weights ({@code pytorch_model.bin}) are not read: unpickling is code
 * execution. The error says how to convert them.
 */
public final class HfModelDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The weights file name transformers uses. */
  public static final String SAFETENSORS = "model.safetensors";

  /** The shard index file name of sharded safetensors checkpoints. */
  public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";

  private HfModelDirectory() {}

  /**
   * Reads {@code config.json} with its classification extras (labels, problem type).
   *
   * @param dir the model directory
   * @return the configuration
   */
  public static HfConfig readConfig(Path dir) {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new RetortException(
          dir.toString(),
          "no config.json: not a Hugging Face model directory",
          "Point hf-dir: at the folder that holds config.json and model.safetensors");
    }
    return HfConfigJson.read(file);
  }

  /**
   * Loads the model.
   *
   * @param dir the model directory
   * @return weights with {@code bert.}-prefixed names (see {@link HfNames}), checked against the
   *     configuration, with the tokenizer files
   */
  public static PretrainedWeights load(Path dir) {
    HfConfig config = readConfig(dir);
    StateDict sd = HfNames.normalize(readWeights(dir));
    BertLayout.check(config.bert(), sd);
    TokenizerFiles tok = readTokenizer(dir);
    if (tok.size() > config.bert().vocabSize()) {
      throw new RetortException(
          dir.toString(),
          "the tokenizer has "
              + tok.size()
              + " tokens but vocab_size is "
              + config.bert().vocabSize(),
          "Use the tokenizer files saved with this model");
    }
    return new PretrainedWeights(
        config.bert(), BertLayout.canonicalOrder(config.bert(), sd), tok, dir.toString());
  }

  /**
   * Reads the weights as stored (names unchanged).
   *
   * @param dir the model directory
   * @return the tensors of {@code model.safetensors} or of all shards
   */
  public static StateDict readWeights(Path dir) {
    Path single = dir.resolve(SAFETENSORS);
    if (Files.isRegularFile(single)) {
      return SafetensorsReader.read(single);
    }
    Path index = dir.resolve(SAFETENSORS_INDEX);
    if (Files.isRegularFile(index)) {
      return readSharded(dir, index);
    }
    for (String other : new String[] {"pytorch_model.bin", "tf_model.h5", "flax_model.msgpack"}) {
      if (Files.exists(dir.resolve(other))) {
        throw new RetortException(
            dir.resolve(other).toString(),
            "only safetensors weights are supported (" + other + " is a pickle or framework file)",
            "Convert it once with Python: python -c \"from transformers import AutoModel; "
                + "AutoModel.from_pretrained('"
                + dir
                + "').save_pretrained('"
                + dir
                + "', safe_serialization=True)\"");
      }
    }
    throw new RetortException(
        dir.toString(),
        "no model.safetensors or model.safetensors.index.json",
        "Save the model with save_pretrained(dir, safe_serialization=True)");
  }

  private static StateDict readSharded(Path dir, Path index) {
    JsonNode map;
    try {
      map = JSON.readTree(index.toFile()).path("weight_map");
    } catch (IOException e) {
      throw new RetortException(index.toString(), "cannot read: " + e, "Check the file", e);
    }
    if (!map.isObject()) {
      throw new RetortException(index.toString(), "has no weight_map object", "Check the file");
    }
    Set<String> shards = new LinkedHashSet<>();
    map.forEach(f -> shards.add(f.asText()));
    StateDict out = new StateDict(index.toString());
    for (String shard : shards) {
      Path file = dir.resolve(shard).normalize();
      if (!file.startsWith(dir.normalize())) {
        throw new RetortException(
            index.toString(),
            "shard '" + shard + "' lies outside the model directory",
            "Check the file");
      }
      StateDict part = SafetensorsReader.read(file);
      part.asMap().forEach(out::put);
      out.metadata().putAll(part.metadata());
    }
    var it = map.properties().iterator();
    while (it.hasNext()) {
      String name = it.next().getKey();
      if (!out.contains(name)) {
        throw new RetortException(
            index + " tensor '" + name + "'",
            "is listed in weight_map but not in its shard",
            "Download the model again");
      }
    }
    return out;
  }

  /**
   * Reads the tokenizer files: {@code vocab.txt} with {@code do_lower_case} from {@code
   * tokenizer_config.json} (default true), or the vocabulary and normalizer of {@code
   * tokenizer.json}; when both exist, the vocabulary of {@code vocab.txt}, the lowercase flag of
   * {@code tokenizer.json} and its path.
   *
   * @param dir the model directory
   * @return the tokenizer files
   */
  public static TokenizerFiles readTokenizer(Path dir) {
    Path vocab = dir.resolve("vocab.txt");
    Path tokJson = dir.resolve("tokenizer.json");
    boolean hasJson = Files.isRegularFile(tokJson);
    if (Files.isRegularFile(vocab)) {
      boolean lower =
          hasJson
              ? TokenizerFiles.fromTokenizerJson(tokJson).lowercase()
              : doLowerCase(dir.resolve("tokenizer_config.json"));
      return TokenizerFiles.fromVocabTxt(vocab, lower).withTokenizerJson(hasJson ? tokJson : null);
    }
    if (hasJson) {
      return TokenizerFiles.fromTokenizerJson(tokJson);
    }
    throw new RetortException(
        dir.toString(),
        "no vocab.txt or tokenizer.json",
        "Save the tokenizer next to the model (tokenizer.save_pretrained(dir))");
  }

  private static boolean doLowerCase(Path tokenizerConfig) {
    if (!Files.isRegularFile(tokenizerConfig)) {
      return true;
    }
    try {
      return JSON.readTree(tokenizerConfig.toFile()).path("do_lower_case").asBoolean(true);
    } catch (IOException e) {
      throw new RetortException(
          tokenizerConfig.toString(), "cannot read: " + e, "Check the file", e);
    }
  }
}
