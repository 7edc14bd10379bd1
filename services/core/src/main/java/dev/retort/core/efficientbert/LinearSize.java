package dev.retort.core.efficientbert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The linear symbol {@code linearA_B}: A stacked FFNs, each of inner width {@code int(ffn / B)}.
 *
 * <p>The size is carried by the name, not by the math: every linear computes {@code x W + b}. Stage
 * 2 of the search uses the {@link #GENERIC} {@code linear}, whose size is fixed elsewhere (the
 * stage-1 best); it has {@code stacks = ratioIndex = 0}.
 *
 * @param stacks A, the number of stacked FFNs in the layer, 1..4 (0 for {@link #GENERIC})
 * @param ratioIndex B, the inner width is {@code 1/B} of the base FFN width, 1..4 (0 for {@link
 *     #GENERIC})
 */
public record LinearSize(int stacks, int ratioIndex) implements Symbol {

  /** The largest stack count A (the supernet holds 4 FFNs per layer). */
  public static final int MAX_STACKS = 4;

  /** The largest ratio index B (inner width {@code 1/4} of the base width). */
  public static final int MAX_RATIO_INDEX = 4;

  /** The sizeless {@code linear} of stage 2. */
  public static final LinearSize GENERIC = new LinearSize(0, 0);

  private static final List<LinearSize> ALL;

  static {
    List<LinearSize> all = new ArrayList<>();
    for (int a = 1; a <= MAX_STACKS; a++) {
      for (int b = 1; b <= MAX_RATIO_INDEX; b++) {
        all.add(new LinearSize(a, b));
      }
    }
    ALL = Collections.unmodifiableList(all);
  }

  /** Checks that both indices are in 1..4, or both 0 for {@link #GENERIC}. */
  public LinearSize {
    boolean generic = stacks == 0 && ratioIndex == 0;
    boolean sized =
        stacks >= 1 && stacks <= MAX_STACKS && ratioIndex >= 1 && ratioIndex <= MAX_RATIO_INDEX;
    if (!generic && !sized) {
      throw new IllegalArgumentException(
          "linear size " + stacks + "_" + ratioIndex + " is outside 1_1 .. 4_4");
    }
  }

  /**
   * Returns the size {@code linearA_B}.
   *
   * @param stacks A, 1..4
   * @param ratioIndex B, 1..4
   * @return the size
   */
  public static LinearSize of(int stacks, int ratioIndex) {
    return new LinearSize(stacks, ratioIndex);
  }

  /**
   * Returns the 16 sizes {@code 1_1, 1_2, ..., 4_4} in the order of the code's {@code
   * all_linear_ids}.
   */
  public static List<LinearSize> all() {
    return ALL;
  }

  /**
   * Parses a parameter-list key such as {@code 4_2}.
   *
   * @param key {@code A_B}
   * @return the size
   * @throws IllegalArgumentException if the key is malformed or out of range
   */
  public static LinearSize fromKey(String key) {
    String[] parts = key.split("_", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("linear size key '" + key + "' is not of the form A_B");
    }
    try {
      return new LinearSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("linear size key '" + key + "' is not of the form A_B", e);
    }
  }

  /** Returns whether this is the sizeless stage-2 {@code linear}. */
  public boolean isGeneric() {
    return stacks == 0;
  }

  /** Returns 2: {@code linear(input, wb)}. */
  @Override
  public int arity() {
    return 2;
  }

  /** Returns {@code linearA_B}, or {@code linear} for {@link #GENERIC}. */
  @Override
  public String token() {
    return isGeneric() ? "linear" : "linear" + key();
  }

  /** Returns the parameter-list key {@code A_B}. */
  public String key() {
    if (isGeneric()) {
      throw new IllegalStateException("the generic linear has no size key");
    }
    return String.format(Locale.ROOT, "%d_%d", stacks, ratioIndex);
  }

  /**
   * Returns the stage-3 size id {@code 4 (A - 1) + (B - 1)}, 0..15, the index in {@link #all()}.
   */
  public int id() {
    if (isGeneric()) {
      throw new IllegalStateException("the generic linear has no size id");
    }
    return (stacks - 1) * MAX_RATIO_INDEX + (ratioIndex - 1);
  }

  /**
   * Returns the inner width {@code m = int((1 / B) * ffnHidden)}.
   *
   * <p>Computed in double exactly as the reference code's {@code int(ratio * ffn_hidden_size)},
   * which equals {@code floor(ffnHidden / B)} for every width used here (360, 540, 768, 3072).
   *
   * @param ffnHidden the base FFN width (the hidden size H for EfficientBERT)
   * @return m
   */
  public int innerWidth(int ffnHidden) {
    if (isGeneric()) {
      throw new IllegalStateException("the generic linear has no inner width; bind a size first");
    }
    return (int) ((1.0 / ratioIndex) * ffnHidden);
  }
}
