package dev.retort.core.distill;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.StateDict;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a student's initial weights from a deeper model's: the embeddings, the pooler and a chosen
 * subset of layers, renumbered (DistilBERT and PKD initialise from every other teacher layer; a
 * MiniLM-initialised student takes MiniLM's layers).
 */
public final class StudentInit {
  private static final Pattern LAYER = Pattern.compile("^(bert\\.)?encoder\\.layer\\.(\\d+)\\.(.*)$");

  private StudentInit() {}

  /**
   * Returns the default source layers for an M-layer student from an N-layer model: every k-th
   * layer, {@code k, 2k, ..., Mk} with {@code k = floor(N / M)} (1-based).
   *
   * @param studentLayers M
   * @param sourceLayers N
   * @return the 1-based source layers
   */
  public static List<Integer> everyKth(int studentLayers, int sourceLayers) {
    if (studentLayers > sourceLayers) {
      throw new RetortException(
          "student.layers",
          "a " + studentLayers + "-layer student cannot take layers from a " + sourceLayers + "-layer model",
          "Use init random, or a smaller student");
    }
    int k = sourceLayers / studentLayers;
    List<Integer> out = new ArrayList<>();
    for (int l = 1; l <= studentLayers; l++) {
      out.add(l * k);
    }
    return out;
  }

  /**
   * Selects and renumbers layers.
   *
   * @param source the source weights (Hugging Face names, with or without the {@code bert.}
   *     prefix)
   * @param sourceLayers the 1-based source layer for each student layer, in order
   * @param sourceLayerCount N, to check the indices
   * @return a state dict with embeddings, pooler and the selected layers as {@code
   *     encoder.layer.0 .. M-1}; heads and MLM parts are dropped
   */
  public static StateDict selectLayers(StateDict source, List<Integer> sourceLayers, int sourceLayerCount) {
    for (int i = 0; i < sourceLayers.size(); i++) {
      int l = sourceLayers.get(i);
      if (l < 1 || l > sourceLayerCount) {
        throw new RetortException(
            "student.init-layers[" + i + "]",
            "layer " + l + " does not exist in " + source.source() + " (" + sourceLayerCount + " layers)",
            "Use layers 1.." + sourceLayerCount);
      }
    }
    StateDict out = new StateDict(source.source() + " layers " + sourceLayers);
    for (var e : source.asMap().entrySet()) {
      String name = e.getKey();
      Matcher m = LAYER.matcher(name);
      if (m.matches()) {
        int src = Integer.parseInt(m.group(2)) + 1;
        for (int i = 0; i < sourceLayers.size(); i++) {
          if (sourceLayers.get(i) == src) {
            out.put((m.group(1) == null ? "" : m.group(1)) + "encoder.layer." + i + "." + m.group(3), e.getValue());
          }
        }
      } else if (name.contains("embeddings.") || name.contains("pooler.")) {
        out.put(name, e.getValue());
      }
    }
    return out;
  }
}
