package dev.retort.core.weights;

import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;

/**
 * Normalises the parameter names of Hugging Face BERT checkpoints to the {@code BertForPreTraining}
 * / {@code BertForSequenceClassification} convention used throughout retort.
 *
 * <p>A bare {@code BertModel} (or sentence-transformers) checkpoint has no {@code bert.} prefix; it
 * is added to the encoder and pooler names. Old checkpoints name LayerNorm parameters {@code
 * gamma}/{@code beta}; they become {@code weight}/{@code bias}, as transformers does on load. The
 * {@code position_ids} buffer is dropped. Half-precision floats are widened to F32.
 */
public final class HfNames {
  private HfNames() {}

  /**
   * Returns a normalised copy.
   *
   * @param sd weights as stored in a Hugging Face checkpoint
   * @return weights with {@code bert.}-prefixed encoder names, F32 floats
   */
  public static StateDict normalize(StateDict sd) {
    boolean bare = sd.names().stream().noneMatch(n -> n.startsWith("bert."));
    StateDict out = new StateDict(sd.source());
    out.metadata().putAll(sd.metadata());
    for (var e : sd.asMap().entrySet()) {
      String n = e.getKey();
      if (bare && isEncoderName(n)) {
        n = "bert." + n;
      }
      if (n.endsWith("LayerNorm.gamma")) {
        n = n.substring(0, n.length() - "gamma".length()) + "weight";
      } else if (n.endsWith("LayerNorm.beta")) {
        n = n.substring(0, n.length() - "beta".length()) + "bias";
      }
      if (n.equals("bert.embeddings.position_ids")) {
        continue;
      }
      HostTensor t = e.getValue();
      out.put(n, t.dtype() == DType.F16 || t.dtype() == DType.BF16 ? t.toF32() : t);
    }
    return out;
  }

  /** Returns whether a name belongs to {@code BertModel} (embeddings, encoder, pooler). */
  static boolean isEncoderName(String n) {
    return n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.");
  }
}
