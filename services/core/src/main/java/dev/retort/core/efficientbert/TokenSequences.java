package dev.retort.core.efficientbert;

import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.PairTruncation;
import dev.retort.core.text.SpecialTokens;
import java.util.Arrays;
import java.util.List;

/** Assembles word-piece ids into {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]} inputs. */
final class TokenSequences {
  private TokenSequences() {}

  /**
   * Builds a pair, cut by {@link PairTruncation} to {@code maxLength - 3} word pieces.
   *
   * @param sp the special-token ids
   * @param a the first segment's ids
   * @param b the second segment's ids
   * @param maxLength the longest result
   * @return segment 0 up to the first [SEP], 1 after
   */
  static EncodedExample pair(SpecialTokens sp, int[] a, int[] b, int maxLength) {
    int[] kept = PairTruncation.keptLengths(a.length, b.length, maxLength - 3);
    int n = kept[0] + kept[1] + 3;
    int[] ids = new int[n];
    int[] segments = new int[n];
    ids[0] = sp.cls();
    System.arraycopy(a, 0, ids, 1, kept[0]);
    ids[kept[0] + 1] = sp.sep();
    System.arraycopy(b, 0, ids, kept[0] + 2, kept[1]);
    ids[n - 1] = sp.sep();
    Arrays.fill(segments, kept[0] + 2, n, 1);
    return new EncodedExample(ids, segments, n);
  }

  /**
   * Builds a single sequence of the first {@code maxLength - 2} word pieces.
   *
   * @param sp the special-token ids
   * @param tokens the ids
   * @param maxLength the longest result
   * @return all segment ids 0
   */
  static EncodedExample single(SpecialTokens sp, int[] tokens, int maxLength) {
    int keep = Math.min(tokens.length, maxLength - 2);
    int[] ids = new int[keep + 2];
    ids[0] = sp.cls();
    System.arraycopy(tokens, 0, ids, 1, keep);
    ids[keep + 1] = sp.sep();
    return new EncodedExample(ids, new int[keep + 2], keep + 2);
  }

  /**
   * Concatenates sentences {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @param sentences word-piece ids per sentence
   * @param from the first sentence
   * @param to one past the last sentence
   * @return the ids in order
   */
  static int[] concat(List<int[]> sentences, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += sentences.get(i).length;
    }
    int[] out = new int[n];
    int at = 0;
    for (int i = from; i < to; i++) {
      int[] s = sentences.get(i);
      System.arraycopy(s, 0, out, at, s.length);
      at += s.length;
    }
    return out;
  }
}
