package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the BERT inside a langchain4j in-process embedding jar ({@code
 * dev.langchain4j:langchain4j-embeddings-*}): a float32 ONNX export {@code X.onnx} and its {@code
 * X-tokenizer.json} at the jar's root.
 *
 * <p>The tokenizer is copied to {@code cacheDir/<jar name>/X-tokenizer.json} so that tokenizers
 * that need a file can use it. The head count comes from the graph, checked against a small table
 * of known models.
 */
public final class LangChain4jEmbeddingJar {
  private static final Logger LOG = LoggerFactory.getLogger(LangChain4jEmbeddingJar.class);

  /** Heads of the models known to ship this way, by ONNX base name. */
  static final Map<String, Integer> KNOWN_HEADS =
      Map.of(
          "all-minilm-l6-v2",
          12,
          "all-minilm-l12-v2",
          12,
          "bge-small-en-v1.5",
          12,
          "bge-small-en-v1.5-q",
          12,
          "e5-small-v2",
          12);

  private LangChain4jEmbeddingJar() {}

  /** The model and tokenizer entries found in a jar. */
  record Entries(ZipEntry onnx, ZipEntry tokenizer, String baseName) {}

  /**
   * Finds {@code X.onnx} and {@code X-tokenizer.json} in a jar, or returns {@code null}.
   *
   * @param zip the open jar
   * @return the entries, or {@code null} if there is no {@code .onnx} at the root
   */
  static Entries find(ZipFile zip) {
    List<ZipEntry> onnx =
        zip.stream()
            .map(ZipEntry.class::cast)
            .filter(
                e ->
                    !e.isDirectory() && e.getName().endsWith(".onnx") && !e.getName().contains("/"))
            .toList();
    if (onnx.isEmpty()) {
      return null;
    }
    ZipEntry model =
        onnx.stream().filter(e -> !e.getName().endsWith("-q.onnx")).findFirst().orElse(onnx.get(0));
    String base = model.getName().substring(0, model.getName().length() - ".onnx".length());
    ZipEntry tok = zip.getEntry(base + "-tokenizer.json");
    if (tok == null) {
      tok =
          zip.stream().filter(e -> e.getName().endsWith("tokenizer.json")).findFirst().orElse(null);
    }
    return new Entries(model, tok, base);
  }

  /**
   * Loads the model in the jar.
   *
   * @param jar the jar file
   * @param cacheDir where the tokenizer file is extracted
   * @param heads the head count, or {@code null} to find it in the graph or the known table
   * @return the weights, configuration and tokenizer
   */
  public static PretrainedWeights load(Path jar, Path cacheDir, Integer heads) {
    long t0 = System.nanoTime();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Entries e = find(zip);
      if (e == null || e.tokenizer() == null) {
        throw new RetortException(
            jar.toString(),
            "has no X.onnx with an X-tokenizer.json at its root",
            "Use a dev.langchain4j:langchain4j-embeddings-* model jar");
      }
      String source = jar + "!/" + e.onnx().getName();
      byte[] tokBytes;
      try (InputStream in = zip.getInputStream(e.tokenizer())) {
        tokBytes = in.readAllBytes();
      }
      Path tokPath = extract(tokBytes, cacheDir, jar, e.tokenizer().getName());
      TokenizerFiles tok =
          TokenizerFiles.parseTokenizerJson(
              tokBytes, tokPath, jar + "!/" + e.tokenizer().getName());
      ByteBuffer bytes;
      try (InputStream in = zip.getInputStream(e.onnx())) {
        bytes = ByteBuffer.wrap(in.readAllBytes());
      }
      OnnxModel model = OnnxModelReader.read(bytes, source);
      Integer known = KNOWN_HEADS.get(e.baseName());
      Integer h = heads != null ? heads : known;
      PretrainedWeights w = OnnxBertLoader.toWeights(model, tok, h, source);
      LOG.info(
          "Loaded {} ({} tensors, {} parameters) in {} ms",
          e.baseName(),
          w.weights().size(),
          w.weights().totalElements(),
          (System.nanoTime() - t0) / 1_000_000);
      return w;
    } catch (IOException ex) {
      throw new RetortException(jar.toString(), "cannot read the jar: " + ex, "Check the file", ex);
    }
  }

  private static Path extract(byte[] bytes, Path cacheDir, Path jar, String name)
      throws IOException {
    String jarName = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path dir = cacheDir.resolve(jarName);
    Path target = dir.resolve(name);
    if (Files.exists(target) && Files.size(target) == bytes.length) {
      return target;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, name, ".part");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
