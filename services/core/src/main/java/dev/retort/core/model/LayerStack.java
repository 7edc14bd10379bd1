package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Runs a stack of transformer layers so that each layer's intermediate arrays are freed as soon as
 * the layer has run.
 *
 * <p>DJL keeps every array an op returns until the manager it belongs to closes, and an op's result
 * belongs to the manager of its input. Run in the caller's manager, a forward pass therefore holds
 * every layer's intermediates at once (Q, K, V, the [B, A, L, L] scores, their masked sum and
 * softmax, the FFN's [B, L, I] temporaries) until the caller's batch ends: at B 64, L 128 BERT-base
 * took 9 GB to score 64 examples, and a teacher service at L 128 was killed for memory.
 *
 * <p>Here each layer runs in a sub-manager of its input's manager. What the caller keeps (the
 * layer's output, and the scores and probabilities the {@link Taps} ask for) moves to the input's
 * manager; the rest closes with the sub-manager, and an output the taps do not keep closes once the
 * next layer has read it. Gradients are unaffected: closing an array only
 * drops DJL's handle, and libtorch's autograd graph holds its own references to the tensors the
 * backward pass needs.
 */
public final class LayerStack {

  /** One layer of the stack. */
  @FunctionalInterface
  public interface Layer {
    /**
     * Runs layer {@code index}.
     *
     * @param index the layer's position, from 0
     * @param hidden its input, [B, L, H]
     * @return its output [B, L, H] in {@code context}, with its scores and probabilities
     */
    AttentionResult forward(int index, NDArray hidden);
  }

  private LayerStack() {}

  /**
   * Runs {@code count} layers on {@code input}, each in its own sub-manager.
   *
   * @param count the number of layers
   * @param input the embedding output, [B, L, H]; every kept array ends in its manager
   * @param taps what to keep
   * @param layer runs one layer
   * @param hidden receives each layer's output, [B, L, H], when {@code taps.hiddenStates()}
   * @param scores receives each layer's pre-softmax scores, [B, A, L, L], when requested
   * @param probs receives each layer's probabilities, [B, A, L, L], when requested
   * @return the last layer's output, [B, L, H] (the input when {@code count} is 0)
   */
  public static NDArray run(
      int count,
      NDArray input,
      Taps taps,
      Layer layer,
      List<NDArray> hidden,
      List<NDArray> scores,
      List<NDArray> probs) {
    NDManager parent = input.getManager();
    NDArray h = input;
    for (int i = 0; i < count; i++) {
      NDArray next;
      try (NDManager scope = parent.newSubManager()) {
        scope.tempAttachAll(h); // the layer's results belong to the scope; h goes back to parent
        AttentionResult r = layer.forward(i, h);
        next = keep(r.context(), parent);
        if (taps.hiddenStates()) {
          hidden.add(next);
        }
        if (taps.attentionScores()) {
          scores.add(keep(r.scores(), parent));
        }
        if (taps.attentionProbs()) {
          probs.add(keep(r.probs(), parent));
        }
      }
      if (h != input && !taps.hiddenStates()) {
        h.close(); // an untapped layer output, used only by the layer that just ran
      }
      h = next;
    }
    return h; // [B, L, H]
  }

  private static NDArray keep(NDArray a, NDManager parent) {
    a.attach(parent);
    return a;
  }
}
