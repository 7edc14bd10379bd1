package dev.retort.core.text;

import java.util.Arrays;

/**
 * Encodes single texts as {@code [CLS] A [SEP]} and pairs as {@code [CLS] A [SEP] B [SEP]}.
 *
 * <p>Segment ids are 0 up to and including the first [SEP], 1 for B and the final [SEP]. Texts that
 * do not fit in {@code maxLength} are truncated: a single text keeps its first {@code maxLength -
 * 2} word pieces; a pair is cut by {@link PairTruncation} to {@code maxLength - 3} word pieces.
 * Nothing is padded here; padding is the batcher's job. Instances are immutable and thread-safe.
 */
public final class SequenceEncoder {
  private final WordPieceTokenizer tokenizer;
  private final int maxLength;

  private SequenceEncoder(WordPieceTokenizer tokenizer, int maxLength) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the tokenizer. */
  public WordPieceTokenizer tokenizer() {
    return tokenizer;
  }

  /** Returns the maximum sequence length, special tokens included. */
  public int maxLength() {
    return maxLength;
  }

  /**
   * Encodes one text.
   *
   * @param text the text
   * @return {@code [CLS] A [SEP]}, at most {@code maxLength} tokens
   */
  public EncodedExample encode(String text) {
    return encode(text, null);
  }

  /**
   * Encodes a text or a pair of texts.
   *
   * @param textA the first text
   * @param textB the second text, or null for a single text
   * @return the encoded example, at most {@code maxLength} tokens
   */
  public EncodedExample encode(String textA, String textB) {
    int[] a = tokenizer.encode(textA);
    if (textB == null) {
      return join(a, Math.min(a.length, maxLength - 2), null, 0);
    }
    int[] b = tokenizer.encode(textB);
    int[] kept = PairTruncation.keptLengths(a.length, b.length, maxLength - 3);
    return join(a, kept[0], b, kept[1]);
  }

  private EncodedExample join(int[] a, int keepA, int[] b, int keepB) {
    SpecialTokens sp = tokenizer.specialTokens();
    int n = b == null ? keepA + 2 : keepA + keepB + 3;
    int[] ids = new int[n];
    int[] segments = new int[n];
    ids[0] = sp.cls();
    System.arraycopy(a, 0, ids, 1, keepA);
    ids[keepA + 1] = sp.sep();
    if (b != null) {
      System.arraycopy(b, 0, ids, keepA + 2, keepB);
      ids[n - 1] = sp.sep();
      Arrays.fill(segments, keepA + 2, n, 1);
    }
    return new EncodedExample(ids, segments, n);
  }

  /** Builds a {@link SequenceEncoder}. */
  public static final class Builder {
    private WordPieceTokenizer tokenizer;
    private int maxLength = 128;

    private Builder() {}

    /**
     * Sets the tokenizer (required).
     *
     * @param tokenizer the tokenizer
     * @return this builder
     */
    public Builder setTokenizer(WordPieceTokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * Sets the maximum sequence length including special tokens (default 128).
     *
     * @param maxLength the length, at least 3
     * @return this builder
     */
    public Builder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Builds the encoder.
     *
     * @return the encoder
     */
    public SequenceEncoder build() {
      if (tokenizer == null) {
        throw new IllegalArgumentException("You must specify a tokenizer (setTokenizer).");
      }
      if (maxLength < 3) {
        throw new IllegalArgumentException("maxLength must be >= 3, got " + maxLength);
      }
      return new SequenceEncoder(tokenizer, maxLength);
    }
  }
}
