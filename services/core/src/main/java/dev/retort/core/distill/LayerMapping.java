package dev.retort.core.distill;

import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which teacher layer each student layer learns from, for one-to-one methods.
 *
 * <ul>
 *   <li>{@link #uniform}: TinyBERT's every-k-th layer, student l to teacher {@code k·l} with {@code k
 *       = N/M} (BERT-EMD's {@code --tinybert}: attention index {@code i·k+k−1}, hidden index {@code
 *       i·k}, both 0-based, {@code :708-727}).
 *   <li>{@link #pkdSkip}: PKD-Skip, student l to teacher {@code k·l} for l = 1..M−1 (for M = 6, N =
 *       12: teacher 2, 4, 6, 8, 10, as BERT-EMD's {@code --pkd}); the last layer is covered by the
 *       prediction loss.
 *   <li>{@link #pkdLast}: PKD-Last, student l to teacher {@code N−M+l} for l = 1..M−1 (for M = 6:
 *       7..11).
 *   <li>{@link #explicit}: any list.
 * </ul>
 *
 * @param pairs the matches, each student layer at most once
 */
public record LayerMapping(List<LayerPair> pairs) {

  /** Checks the pairs. */
  public LayerMapping {
    pairs = List.copyOf(pairs);
    if (pairs.stream().map(LayerPair::student).distinct().count() != pairs.size()) {
      throw new RetortException("layer mapping " + pairs, "a student layer appears twice", "Give each student layer one teacher layer");
    }
  }

  /** TinyBERT's uniform mapping; requires M to divide N. */
  public static LayerMapping uniform(int studentLayers, int teacherLayers) {
    int k = stride(studentLayers, teacherLayers, "uniform");
    List<LayerPair> p = new ArrayList<>();
    for (int l = 1; l <= studentLayers; l++) {
      p.add(new LayerPair(l, k * l));
    }
    return new LayerMapping(p);
  }

  /** PKD-Skip. */
  public static LayerMapping pkdSkip(int studentLayers, int teacherLayers) {
    int k = stride(studentLayers, teacherLayers, "pkd-skip");
    List<LayerPair> p = new ArrayList<>();
    for (int l = 1; l < studentLayers; l++) {
      p.add(new LayerPair(l, k * l));
    }
    return new LayerMapping(p);
  }

  /** PKD-Last. */
  public static LayerMapping pkdLast(int studentLayers, int teacherLayers) {
    if (studentLayers > teacherLayers) {
      throw new RetortException("layer mapping pkd-last", "the student has more layers than the teacher", "Use a smaller student");
    }
    List<LayerPair> p = new ArrayList<>();
    for (int l = 1; l < studentLayers; l++) {
      p.add(new LayerPair(l, teacherLayers - studentLayers + l));
    }
    return new LayerMapping(p);
  }

  /**
   * An explicit mapping, checked against the layer counts.
   *
   * @param teacherLayerOfStudent entry {@code l-1} is the teacher layer of student layer l
   * @param studentLayers M
   * @param teacherLayers N
   * @return the mapping
   */
  public static LayerMapping explicit(List<Integer> teacherLayerOfStudent, int studentLayers, int teacherLayers) {
    if (teacherLayerOfStudent.size() != studentLayers) {
      throw new RetortException(
          "distill.mapping.layers",
          "lists " + teacherLayerOfStudent.size() + " teacher layers for a " + studentLayers + "-layer student",
          "Give one teacher layer (1.." + teacherLayers + ") per student layer");
    }
    List<LayerPair> p = new ArrayList<>();
    for (int l = 1; l <= studentLayers; l++) {
      int t = teacherLayerOfStudent.get(l - 1);
      if (t < 1 || t > teacherLayers) {
        throw new RetortException(
            "distill.mapping.layers[" + (l - 1) + "]",
            "teacher layer " + t + " does not exist",
            "Teacher layers are numbered 1.." + teacherLayers);
      }
      p.add(new LayerPair(l, t));
    }
    return new LayerMapping(p);
  }

  private static int stride(int m, int n, String name) {
    if (m < 1 || m > n || n % m != 0) {
      throw new RetortException(
          "layer mapping " + name,
          "a " + m + "-layer student cannot map uniformly onto " + n + " teacher layers",
          "Choose a student layer count that divides " + n + ", or use an explicit mapping or emd");
    }
    return n / m;
  }
}
