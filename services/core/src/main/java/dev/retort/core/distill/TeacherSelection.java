package dev.retort.core.distill;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which teacher outputs a method needs, so that teacher inference computes, keeps and sends only
 * those.
 *
 * @param hiddenLayers hidden-state indices, 0 = embeddings, 1..N = layer outputs
 * @param scoreLayers layers (1..N) whose pre-softmax attention scores are needed
 * @param logits whether the logits are needed
 */
public record TeacherSelection(SortedSet<Integer> hiddenLayers, SortedSet<Integer> scoreLayers, boolean logits) {

  /** Copies the sets. */
  public TeacherSelection {
    hiddenLayers = Collections.unmodifiableSortedSet(new TreeSet<>(hiddenLayers));
    scoreLayers = Collections.unmodifiableSortedSet(new TreeSet<>(scoreLayers));
  }

  /** Logits only: logits KD. */
  public static TeacherSelection logitsOnly() {
    return new TeacherSelection(new TreeSet<>(), new TreeSet<>(), true);
  }

  /** Every hidden state (0..N), every layer's scores and the logits: BERT-EMD with all its terms. */
  public static TeacherSelection all(int teacherLayers) {
    return forEmd(teacherLayers, true, true);
  }

  /**
   * What BERT-EMD reads: the hidden states of layers 1..N and the logits; the embedding output
   * (hidden state 0) only for its embedding term, every layer's scores only for its attention EMD.
   *
   * @param teacherLayers N
   * @param embeddings whether the embedding term is on ({@code distill.use-embedding})
   * @param scores whether the attention EMD is on ({@code distill.use-attention})
   * @return the selection
   */
  public static TeacherSelection forEmd(int teacherLayers, boolean embeddings, boolean scores) {
    TreeSet<Integer> h = new TreeSet<>();
    TreeSet<Integer> s = new TreeSet<>();
    if (embeddings) {
      h.add(0);
    }
    for (int i = 1; i <= teacherLayers; i++) {
      h.add(i);
      if (scores) {
        s.add(i);
      }
    }
    return new TeacherSelection(h, s, true);
  }

  /** The embeddings plus the mapped layers' hidden states and scores, and the logits. */
  public static TeacherSelection forMapping(LayerMapping mapping, boolean embeddings, boolean scores) {
    TreeSet<Integer> h = new TreeSet<>();
    TreeSet<Integer> s = new TreeSet<>();
    if (embeddings) {
      h.add(0);
    }
    for (LayerPair p : mapping.pairs()) {
      h.add(p.teacher());
      if (scores) {
        s.add(p.teacher());
      }
    }
    return new TeacherSelection(h, s, true);
  }

  /** Returns whether any hidden state or score is needed. */
  public boolean needsTaps() {
    return !hiddenLayers.isEmpty() || !scoreLayers.isEmpty();
  }

  /** Returns a selection needing everything either needs. */
  public TeacherSelection union(TeacherSelection o) {
    TreeSet<Integer> h = new TreeSet<>(hiddenLayers);
    h.addAll(o.hiddenLayers);
    TreeSet<Integer> s = new TreeSet<>(scoreLayers);
    s.addAll(o.scoreLayers);
    return new TeacherSelection(h, s, logits || o.logits);
  }
}
