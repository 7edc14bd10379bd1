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

  /** Every hidden state (0..N), every layer's scores and the logits: BERT-EMD. */
  public static TeacherSelection all(int teacherLayers) {
    TreeSet<Integer> h = new TreeSet<>();
    TreeSet<Integer> s = new TreeSet<>();
    for (int i = 0; i <= teacherLayers; i++) {
      h.add(i);
      if (i > 0) {
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
