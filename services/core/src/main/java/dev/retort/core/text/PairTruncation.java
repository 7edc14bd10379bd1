package dev.retort.core.text;

/**
 * Longest-first truncation of a sequence pair, as TinyBERT's {@code _truncate_seq_pair} does.
 *
 * <p>While {@code len(A) + len(B) > budget}: if {@code len(A) > len(B)} drop the last token of A,
 * otherwise drop the last token of B. So ties drop from B, and when both sides must be cut A keeps
 * {@code ceil(budget/2)} tokens and B {@code floor(budget/2)}. This differs from HF tokenizers'
 * {@code LongestFirst}, which in that case gives the odd token to the side that was longer (B on
 * ties).
 */
public final class PairTruncation {
  private PairTruncation() {}

  /**
   * Returns the kept lengths of A and B.
   *
   * @param lengthA the number of tokens of A
   * @param lengthB the number of tokens of B
   * @param budget the most tokens A and B may have together ({@code maxLength - 3} for pairs)
   * @return {@code {keptA, keptB}}
   */
  public static int[] keptLengths(int lengthA, int lengthB, int budget) {
    if (lengthA < 0 || lengthB < 0 || budget < 0) {
      throw new IllegalArgumentException(
          "lengths and budget must be >= 0: " + lengthA + ", " + lengthB + ", " + budget);
    }
    int a = lengthA;
    int b = lengthB;
    while (a + b > budget) {
      if (a > b) {
        a--;
      } else {
        b--;
      }
    }
    return new int[] {a, b};
  }
}
