package dev.retort.core.model;

/**
 * The two GELU variants BERT checkpoints are trained with.
 *
 * <p>Google's BERT and the HRKD and EfficientBERT code use the tanh approximation; PyTorch's and
 * Hugging Face's default ({@code "gelu"}) is the exact erf form. The difference is below 1e-3 per
 * activation and does not change MLM predictions, but parity tests need the right one.
 */
public enum Gelu {
  /** {@code 0.5 x (1 + erf(x / sqrt 2))}; Hugging Face {@code hidden_act = "gelu"}. */
  ERF("gelu"),
  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; Hugging Face {@code "gelu_new"}. */
  TANH("gelu_new");

  private final String hfName;

  Gelu(String hfName) {
    this.hfName = hfName;
  }

  /** Returns the {@code hidden_act} value Hugging Face's {@code config.json} uses. */
  public String hfName() {
    return hfName;
  }

  /**
   * Parses a Hugging Face {@code hidden_act} value or one of this enum's names.
   *
   * @param value {@code gelu}, {@code erf}, {@code gelu_new}, {@code gelu_pytorch_tanh} or {@code
   *     tanh}
   * @return the variant
   * @throws IllegalArgumentException if the value names another activation
   */
  public static Gelu parse(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "gelu":
      case "erf":
        return ERF;
      case "gelu_new":
      case "gelu_pytorch_tanh":
      case "gelu_fast":
      case "tanh":
        return TANH;
      default:
        throw new IllegalArgumentException(
            "unsupported activation '" + value + "'; BERT models use gelu (erf) or gelu_new (tanh)");
    }
  }
}
