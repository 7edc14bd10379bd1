package dev.retort.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BERT's full tokenizer in pure Java: {@link BasicTokenizer} followed by greedy longest-match-first
 * WordPiece.
 *
 * <p>Each word from the basic tokenizer is split into the longest vocabulary prefix, then the
 * longest vocabulary entry {@code "##" + rest} for the rest, and so on. If some remainder has no
 * match, or the word has more than {@code maxCharsPerWord} code points (100 by default), the whole
 * word becomes {@code [UNK]}.
 *
 * <p>Special tokens ({@code [PAD] [UNK] [CLS] [SEP] [MASK]}) written literally in the raw text are
 * kept as single tokens, as HF tokenizers does with its added tokens; turn this off with {@link
 * Builder#optKeepSpecialTokens(boolean)}. The output has no {@code [CLS]}/{@code [SEP]}; see {@link
 * SequenceEncoder}. Instances are immutable and thread-safe.
 */
public final class WordPieceTokenizer {
  private final Vocabulary vocabulary;
  private final SpecialTokens specialTokens;
  private final BasicTokenizer basic;
  private final int maxCharsPerWord;
  private final boolean keepSpecialTokens;
  private final String prefix;

  private WordPieceTokenizer(Builder b) {
    this.vocabulary = b.vocabulary;
    this.specialTokens = SpecialTokens.lookup(b.vocabulary);
    boolean strip = b.stripAccents == null ? b.lowercase : b.stripAccents;
    this.basic = new BasicTokenizer(b.lowercase, strip);
    this.maxCharsPerWord = b.maxCharsPerWord;
    this.keepSpecialTokens = b.keepSpecialTokens;
    this.prefix = b.prefix;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the tokenizer of uncased BERT models: lowercase and strip accents.
   *
   * @param vocabulary the vocabulary
   * @return the tokenizer
   */
  public static WordPieceTokenizer uncased(Vocabulary vocabulary) {
    return builder().setVocabulary(vocabulary).optLowercase(true).build();
  }

  /**
   * Returns the tokenizer of cased BERT models: keep case and accents.
   *
   * @param vocabulary the vocabulary
   * @return the tokenizer
   */
  public static WordPieceTokenizer cased(Vocabulary vocabulary) {
    return builder().setVocabulary(vocabulary).optLowercase(false).build();
  }

  /** Returns the vocabulary. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Returns the special token ids. */
  public SpecialTokens specialTokens() {
    return specialTokens;
  }

  /** Returns the basic tokenizer (normalization and word splitting). */
  public BasicTokenizer basicTokenizer() {
    return basic;
  }

  /**
   * Splits a text into word pieces.
   *
   * @param text the raw text
   * @return the word pieces, without [CLS]/[SEP]
   */
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    run(text, out, null);
    return out;
  }

  /**
   * Encodes a text into token ids.
   *
   * @param text the raw text
   * @return the ids of its word pieces, without [CLS]/[SEP]
   */
  public int[] encode(String text) {
    IntList ids = new IntList();
    run(text, null, ids);
    return ids.toArray();
  }

  private void run(String text, List<String> tokens, IntList ids) {
    Objects.requireNonNull(text, "text");
    if (!keepSpecialTokens) {
      segment(text, tokens, ids);
      return;
    }
    int segStart = 0;
    int i = text.indexOf('[');
    while (i >= 0) {
      String special = specialAt(text, i);
      if (special != null) {
        segment(text.substring(segStart, i), tokens, ids);
        emit(special, vocabulary.id(special), tokens, ids);
        segStart = i + special.length();
        i = text.indexOf('[', segStart);
      } else {
        i = text.indexOf('[', i + 1);
      }
    }
    segment(text.substring(segStart), tokens, ids);
  }

  private static String specialAt(String text, int i) {
    for (String s : SpecialTokens.ALL) {
      if (text.startsWith(s, i)) {
        return s;
      }
    }
    return null;
  }

  private void segment(String text, List<String> tokens, IntList ids) {
    if (text.isEmpty()) {
      return;
    }
    for (String word : basic.split(text)) {
      wordPieces(word, tokens, ids);
    }
  }

  /** Greedy longest-match-first split of one word; the whole word is [UNK] if any part fails. */
  private void wordPieces(String word, List<String> tokens, IntList ids) {
    if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
      emit(SpecialTokens.UNK, specialTokens.unk(), tokens, ids);
      return;
    }
    int mark = ids == null ? 0 : ids.size();
    int tokenMark = tokens == null ? 0 : tokens.size();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      String match = null;
      int matchId = -1;
      while (end > start) {
        String piece = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
        int id = vocabulary.id(piece);
        if (id >= 0) {
          match = piece;
          matchId = id;
          break;
        }
        end = word.offsetByCodePoints(end, -1);
      }
      if (match == null) {
        if (ids != null) {
          ids.truncate(mark);
        }
        if (tokens != null) {
          tokens.subList(tokenMark, tokens.size()).clear();
        }
        emit(SpecialTokens.UNK, specialTokens.unk(), tokens, ids);
        return;
      }
      emit(match, matchId, tokens, ids);
      start = end;
    }
  }

  private static void emit(String token, int id, List<String> tokens, IntList ids) {
    if (tokens != null) {
      tokens.add(token);
    }
    if (ids != null) {
      ids.add(id);
    }
  }

  /** Builds a {@link WordPieceTokenizer}. */
  public static final class Builder {
    private Vocabulary vocabulary;
    private boolean lowercase = true;
    private Boolean stripAccents;
    private int maxCharsPerWord = 100;
    private boolean keepSpecialTokens = true;
    private String prefix = "##";

    private Builder() {}

    /**
     * Sets the vocabulary (required).
     *
     * @param vocabulary the vocabulary; must contain the five special tokens
     * @return this builder
     */
    public Builder setVocabulary(Vocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /**
     * Sets whether to lowercase (default true, for uncased models).
     *
     * @param lowercase whether to lowercase
     * @return this builder
     */
    public Builder optLowercase(boolean lowercase) {
      this.lowercase = lowercase;
      return this;
    }

    /**
     * Sets whether to strip accents (default: the same as lowercase, as in BERT).
     *
     * @param stripAccents whether to strip accents
     * @return this builder
     */
    public Builder optStripAccents(boolean stripAccents) {
      this.stripAccents = stripAccents;
      return this;
    }

    /**
     * Sets the longest word, in code points, that is split; longer words become [UNK] (default
     * 100).
     *
     * @param maxCharsPerWord the limit, at least 1
     * @return this builder
     */
    public Builder optMaxCharsPerWord(int maxCharsPerWord) {
      this.maxCharsPerWord = maxCharsPerWord;
      return this;
    }

    /**
     * Sets whether special tokens written in the text stay single tokens (default true).
     *
     * @param keep whether to keep them
     * @return this builder
     */
    public Builder optKeepSpecialTokens(boolean keep) {
      this.keepSpecialTokens = keep;
      return this;
    }

    /**
     * Sets the continuation prefix of non-initial word pieces (default {@code ##}).
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder optContinuationPrefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /**
     * Builds the tokenizer.
     *
     * @return the tokenizer
     * @throws IllegalArgumentException if the vocabulary is missing or an option is invalid
     * @throws dev.retort.core.RetortException if the vocabulary lacks a special token
     */
    public WordPieceTokenizer build() {
      if (vocabulary == null) {
        throw new IllegalArgumentException("You must specify a vocabulary (setVocabulary).");
      }
      if (maxCharsPerWord < 1) {
        throw new IllegalArgumentException("maxCharsPerWord must be >= 1, got " + maxCharsPerWord);
      }
      Objects.requireNonNull(prefix, "prefix");
      return new WordPieceTokenizer(this);
    }
  }
}
