package dev.retort.core.efficientbert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter counts of EfficientBERT models, with the reference code's {@code param_list} convention
 * ({@code models/configs.py}, {@code utils/action_space.py:26-28}).
 *
 * <p>With H the hidden size, E the token-embedding size (128), V the vocabulary, P the positions, T
 * the segments, F the distillation width (768) and m = {@code int(I / B)} (I = H here):
 *
 * <pre>
 * embed_fit_dense = V E + (3E H + H) + P H + T H + 2H  // trigram embedding, Linear(3E->H), LN
 *                 + (H F + F)                          // the shared fit_dense H->768
 * attn            = 4 H^2 + 4H + 2H                    // Q, K, V, output projections, LN
 * ffn[A_B]        = A (2 H m + m + H + 2H)             // A x (dense1, dense2, LN)
 * total           = embed_fit_dense + sum over layers (attn + ffn[A_B of the layer])
 * </pre>
 *
 * <p>Pooler and classifier are not counted; the distillation-only {@code fit_dense} is. With this
 * convention the three published models come out at 15,737,724 (EfficientBERT 6L-540, 15.74M),
 * 9,375,144 (EfficientBERT-tiny 6L-360, 9.38M) and 14,241,864 (EfficientBERT++ 12L-360, 14.24M).
 * Without {@code fit_dense} they would be 15.32M, 9.10M and 13.96M, so the published figures
 * include it. The reference's {@code AutoBert12Config.param_list} has stale FFN entries (inner
 * width 540 at H 360); the counts here use the correct inner width, which is what gives 14.24M.
 */
public final class ParamCount {
  /** Key of the embedding plus {@code fit_dense} entry in {@link #paramList}. */
  public static final String EMBED_FIT_DENSE = "embed_fit_dense";

  /** Key of the per-layer attention entry in {@link #paramList}. */
  public static final String ATTN = "attn";

  private ParamCount() {}

  /**
   * Returns the MobileBERT-style trigram embedding's parameters.
   *
   * <p>{@code V E + (3E H + H) + P H + T H + 2H}.
   *
   * @param arch the model
   * @return the count
   */
  public static long embedding(EfficientBertArch arch) {
    long h = arch.hiddenSize();
    long e = arch.embeddingSize();
    return arch.vocabSize() * e
        + (3 * e * h + h)
        + arch.maxPositions() * h
        + arch.typeVocabSize() * h
        + 2 * h;
  }

  /**
   * Returns the shared distillation projection's parameters, {@code H F + F}.
   *
   * @param arch the model
   * @return the count
   */
  public static long fitDense(EfficientBertArch arch) {
    return (long) arch.hiddenSize() * arch.fitSize() + arch.fitSize();
  }

  /**
   * Returns one layer's attention parameters, {@code 4 H^2 + 4H + 2H}.
   *
   * @param hidden H
   * @return the count
   */
  public static long attention(int hidden) {
    long h = hidden;
    return 4 * h * h + 4 * h + 2 * h;
  }

  /**
   * Returns one layer's FFN parameters, {@code A (2 H m + m + H + 2H)} with {@code m = int(I / B)}.
   *
   * @param hidden H
   * @param ffnHidden I, the full inner width (H for EfficientBERT)
   * @param size {@code A_B}
   * @return the count
   */
  public static long ffn(int hidden, int ffnHidden, LinearSize size) {
    long h = hidden;
    long m = size.innerWidth(ffnHidden);
    return size.stacks() * (2 * h * m + m + h + 2 * h);
  }

  /**
   * Returns the whole model's count, {@code embed_fit_dense + sum(attn + ffn[A_B])}.
   *
   * @param arch the model
   * @return the count
   */
  public static long total(EfficientBertArch arch) {
    return total(paramList(arch), arch.linearSizes());
  }

  /**
   * Returns the count of a model with the dimensions behind {@code paramList} and the given sizes,
   * as the reference's {@code get_entire_params} does during the search.
   *
   * @param paramList from {@link #paramList(EfficientBertArch)}
   * @param sizes one {@code A_B} per layer
   * @return the count
   */
  public static long total(Map<String, Long> paramList, List<LinearSize> sizes) {
    long sum = paramList.get(EMBED_FIT_DENSE);
    for (LinearSize size : sizes) {
      sum += paramList.get(ATTN) + paramList.get(size.key());
    }
    return sum;
  }

  /**
   * Returns the reference's {@code param_list} for the model's dimensions, exactly rather than
   * rounded to 1e-4 M: keys {@code embed_fit_dense}, {@code attn}, {@code 1_1} .. {@code 4_4}.
   *
   * @param arch supplies the dimensions; its expressions are ignored
   * @return an ordered, unmodifiable map
   */
  public static Map<String, Long> paramList(EfficientBertArch arch) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(EMBED_FIT_DENSE, embedding(arch) + fitDense(arch));
    out.put(ATTN, attention(arch.hiddenSize()));
    for (LinearSize size : LinearSize.all()) {
      out.put(size.key(), ffn(arch.hiddenSize(), arch.ffnHiddenSize(), size));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns a count in millions rounded half-up to 2 decimals, as the paper reports sizes.
   *
   * @param count parameters
   * @return e.g. 15.74
   */
  public static double millions(long count) {
    return BigDecimal.valueOf(count)
        .movePointLeft(6)
        .setScale(2, RoundingMode.HALF_UP)
        .doubleValue();
  }
}
