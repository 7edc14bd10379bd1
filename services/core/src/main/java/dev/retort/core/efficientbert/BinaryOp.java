package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The three element-wise binary operators of the search space.
 *
 * <p>When the operands have different channel counts (last dimension), both are truncated to their
 * first {@code min(c1, c2)} channels before the op, as EfficientBERT's {@code
 * Operator(sel_min=True)} does. The pad variant of {@code register_custom_ops3} (AutoTinyBERT) is
 * not implemented.
 */
public enum BinaryOp implements Symbol {
  /** {@code a + b}. */
  ADD("add"),
  /** {@code a * b}. */
  MUL("mul"),
  /** {@code max(a, b)} element-wise. */
  MAX("max");

  private final String token;

  BinaryOp(String token) {
    this.token = token;
  }

  /** Returns 2. */
  @Override
  public int arity() {
    return 2;
  }

  /** Returns {@code add}, {@code mul} or {@code max}. */
  @Override
  public String token() {
    return token;
  }

  /**
   * Applies the op after truncating both operands to their common leading channels.
   *
   * <p>{@code out[..., c] = op(a[..., c], b[..., c])} for {@code c < min(ca, cb)}.
   *
   * @param a {@code [B, L, ca]}
   * @param b {@code [B, L, cb]}
   * @return {@code [B, L, min(ca, cb)]}
   */
  public NDArray apply(NDArray a, NDArray b) {
    long width = Math.min(channels(a), channels(b));
    NDArray left = truncate(a, width); // [B, L, c]
    NDArray right = truncate(b, width); // [B, L, c]
    switch (this) {
      case ADD:
        return left.add(right);
      case MUL:
        return left.mul(right);
      case MAX:
        return left.maximum(right);
      default:
        throw new IllegalStateException("unhandled binary op " + this);
    }
  }

  private static long channels(NDArray a) {
    return a.getShape().get(a.getShape().dimension() - 1);
  }

  /**
   * Keeps the first {@code width} channels of the last dimension; returns {@code a} itself when it
   * already has that width.
   */
  static NDArray truncate(NDArray a, long width) {
    if (channels(a) == width) {
      return a;
    }
    return a.get(new NDIndex("..., :{}", width));
  }
}
