package dev.retort.core.efficientbert.search;

import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Saves and loads supernet weights as one safetensors file, tensors under the reference's names,
 * with the dimensions in the metadata so that a checkpoint of another shape is refused by name.
 */
public final class SupernetStore {
  /** The metadata key holding {@link #dimsKey(EfficientBertArch)}. */
  public static final String DIMS = "retort.efficientbert.dims";

  private SupernetStore() {}

  /**
   * Writes a model's weights atomically.
   *
   * @param file the target
   * @param model the supernet (or a stage-3 supernet with head)
   * @throws IOException if the write fails (an old file is kept)
   */
  public static void write(Path file, EfficientBertModel model) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      SafetensorsWriter.write(
          tmp, StateDicts.toStateDict(model, file.toString()), Map.of(DIMS, dimsKey(model.arch())));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads supernet weights and checks that they were saved for these dimensions.
   *
   * @param file the file
   * @param dims the expected dimensions and layer count (expressions ignored)
   * @return the weights
   * @throws RetortException if the file is missing or holds another shape
   */
  public static StateDict read(Path file, EfficientBertArch dims) {
    if (!Files.exists(file)) {
      throw new RetortException(
          file.toString(),
          "the supernet checkpoint does not exist",
          "Run the warm-up first (a search with search.warmup-steps creates it)");
    }
    StateDict sd = SafetensorsReader.read(file);
    String saved = sd.metadata().get(DIMS);
    if (!dimsKey(dims).equals(saved)) {
      throw new RetortException(
          file.toString(),
          "the supernet was saved for " + saved + ", the search expects " + dimsKey(dims),
          "Point search.supernet-checkpoint at a supernet of the student's dimensions, or warm"
              + " up a new one");
    }
    return sd;
  }

  /** Returns a description of the dimensions: layers, H, heads, E, I, V, P, T, F. */
  public static String dimsKey(EfficientBertArch a) {
    return "layers="
        + a.numLayers()
        + " H="
        + a.hiddenSize()
        + " heads="
        + a.numHeads()
        + " E="
        + a.embeddingSize()
        + " I="
        + a.ffnHiddenSize()
        + " V="
        + a.vocabSize()
        + " P="
        + a.maxPositions()
        + " T="
        + a.typeVocabSize()
        + " F="
        + a.fitSize();
  }
}
