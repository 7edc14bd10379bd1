package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The teacher's side of one batch: the selected hidden states, attention scores and logits,
 * computed in-process or received from the teacher service. Constants: they carry no gradient.
 *
 * @param hidden hidden-state index (0 = embeddings) to [B, L, H_T]
 * @param scores layer (1-based) to pre-softmax scores, [B, A, L, L]
 * @param logits [B, C], or null if not selected
 */
public record TeacherOutputs(Map<Integer, NDArray> hidden, Map<Integer, NDArray> scores, NDArray logits) {

  /** Copies the maps. */
  public TeacherOutputs {
    hidden = Collections.unmodifiableMap(new TreeMap<>(hidden));
    scores = Collections.unmodifiableMap(new TreeMap<>(scores));
  }

  /** Returns hidden state {@code i}, or fails naming what was delivered. */
  public NDArray hidden(int i) {
    NDArray a = hidden.get(i);
    if (a == null) {
      throw new IllegalStateException("teacher hidden state " + i + " was not selected; have " + hidden.keySet());
    }
    return a;
  }

  /** Returns the scores of layer {@code l} (1-based), or fails naming what was delivered. */
  public NDArray scores(int l) {
    NDArray a = scores.get(l);
    if (a == null) {
      throw new IllegalStateException("teacher attention scores of layer " + l + " were not selected; have " + scores.keySet());
    }
    return a;
  }

  /** Returns the logits, or fails if they were not selected. */
  public NDArray requireLogits() {
    if (logits == null) {
      throw new IllegalStateException("teacher logits were not selected");
    }
    return logits;
  }
}
