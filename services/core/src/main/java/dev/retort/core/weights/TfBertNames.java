package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renames the variables of a Google BERT TensorFlow checkpoint to Hugging Face {@code
 * BertForPreTraining} parameter names, transposing kernels to PyTorch's [out, in] layout.
 *
 * <p>Rules: drop an optional {@code module/} prefix (TF Hub), then {@code bert/} becomes {@code
 * bert.}, {@code layer_i} becomes {@code layer.i}, {@code /} becomes {@code .}, {@code kernel}
 * becomes {@code weight} (transposed, since TF computes {@code y = x K + b} with K [in, out]),
 * {@code gamma}/{@code beta} become {@code weight}/{@code bias}, {@code *_embeddings} gains {@code
 * .weight}, and {@code cls/predictions/output_bias} becomes {@code cls.predictions.bias}. The NSP
 * head of original checkpoints ({@code cls/seq_relationship/output_weights}, already [2, H]) maps
 * to {@code cls.seq_relationship.weight}. Training leftovers (global step, Adam slots) are dropped.
 */
public final class TfBertNames {
  private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

  private TfBertNames() {}

  /**
   * Converts a state dict of raw TensorFlow names to Hugging Face names and layout.
   *
   * @param tf the bundle as read by {@link TfBundleReader}
   * @return a new state dict, in the same order
   * @throws RetortException naming the first variable that is not part of a BERT checkpoint
   */
  public static StateDict toHf(StateDict tf) {
    StateDict out = new StateDict(tf.source());
    for (var e : tf.asMap().entrySet()) {
      String name = e.getKey();
      if (isTrainingState(name)) {
        continue;
      }
      String hf = hfName(name);
      if (hf == null) {
        throw new RetortException(
            tf.source() + " tensor '" + name + "'",
            "is not a variable of a Google BERT checkpoint",
            "Only BERT encoder, pooler and pre-training head variables can be converted");
      }
      HostTensor t = e.getValue();
      out.put(hf, name.endsWith("/kernel") ? Transposes.kernelToWeight(t) : t);
    }
    return out;
  }

  /**
   * Returns the Hugging Face name of a TensorFlow BERT variable, or {@code null} if it is not one.
   *
   * @param tfName e.g. {@code module/bert/encoder/layer_3/attention/self/query/kernel}
   * @return e.g. {@code bert.encoder.layer.3.attention.self.query.weight}
   */
  public static String hfName(String tfName) {
    String n = tfName.startsWith("module/") ? tfName.substring("module/".length()) : tfName;
    switch (n) {
      case "cls/predictions/output_bias":
        return "cls.predictions.bias";
      case "cls/seq_relationship/output_weights":
        return "cls.seq_relationship.weight";
      case "cls/seq_relationship/output_bias":
        return "cls.seq_relationship.bias";
      default:
        break;
    }
    if (!n.startsWith("bert/") && !n.startsWith("cls/predictions/transform/")) {
      return null;
    }
    Matcher m = LAYER.matcher(n);
    n = m.replaceAll("layer.$1").replace('/', '.');
    if (n.endsWith("_embeddings")) {
      return n + ".weight";
    }
    int dot = n.lastIndexOf('.');
    String leaf = n.substring(dot + 1);
    String stem = n.substring(0, dot + 1);
    return switch (leaf) {
      case "kernel", "gamma" -> stem + "weight";
      case "bias", "beta" -> stem + "bias";
      default -> null;
    };
  }

  private static boolean isTrainingState(String name) {
    return name.equals("global_step")
        || name.endsWith("/adam_m")
        || name.endsWith("/adam_v")
        || name.startsWith("bad_steps")
        || name.startsWith("good_steps")
        || name.startsWith("loss_scale");
  }
}
