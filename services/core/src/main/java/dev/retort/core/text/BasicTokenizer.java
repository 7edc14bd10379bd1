package dev.retort.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's basic tokenizer: text normalization followed by whitespace and punctuation splitting.
 *
 * <p>The steps, in the order of HF tokenizers' {@code BertNormalizer} and {@code BertPreTokenizer}:
 *
 * <ol>
 *   <li>clean: drop U+0000, U+FFFD and control characters ({@link CharClasses#isControl}), map
 *       every whitespace character to a space;
 *   <li>put spaces around CJK ideographs, so each becomes its own word;
 *   <li>strip accents (optional): Unicode NFD, then drop non-spacing marks (category Mn);
 *   <li>lowercase (optional), one code point at a time with the root locale;
 *   <li>split on whitespace, and make every punctuation character a word of its own.
 * </ol>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BasicTokenizer {
  private final boolean lowercase;
  private final boolean stripAccents;

  /**
   * Creates a basic tokenizer.
   *
   * @param lowercase whether to lowercase (uncased models)
   * @param stripAccents whether to remove accents (NFD, drop Mn); uncased BERT does both
   */
  public BasicTokenizer(boolean lowercase, boolean stripAccents) {
    this.lowercase = lowercase;
    this.stripAccents = stripAccents;
  }

  /** Returns whether this tokenizer lowercases. */
  public boolean lowercase() {
    return lowercase;
  }

  /** Returns whether this tokenizer strips accents. */
  public boolean stripAccents() {
    return stripAccents;
  }

  /**
   * Normalizes a text (steps 1 to 4).
   *
   * @param text the raw text
   * @return the normalized text
   */
  public String normalize(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || CharClasses.isControl(cp)) {
        continue;
      }
      if (CharClasses.isWhitespace(cp)) {
        sb.append(' ');
      } else if (CharClasses.isCjk(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    }
    String s = sb.toString();
    if (stripAccents) {
      s = stripMarks(Normalizer.normalize(s, Normalizer.Form.NFD));
    }
    if (lowercase) {
      s = lowercase(s);
    }
    return s;
  }

  /**
   * Splits a text into words: normalizes it, splits on whitespace and isolates punctuation.
   *
   * @param text the raw text
   * @return the words, in order; empty for blank text
   */
  public List<String> split(String text) {
    String s = normalize(text);
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (CharClasses.isWhitespace(cp)) {
        if (start >= 0) {
          words.add(s.substring(start, i));
          start = -1;
        }
      } else if (CharClasses.isPunctuation(cp)) {
        if (start >= 0) {
          words.add(s.substring(start, i));
          start = -1;
        }
        words.add(s.substring(i, next));
      } else if (start < 0) {
        start = i;
      }
      i = next;
    }
    if (start >= 0) {
      words.add(s.substring(start));
    }
    return words;
  }

  private static String stripMarks(String nfd) {
    StringBuilder sb = new StringBuilder(nfd.length());
    for (int i = 0; i < nfd.length(); ) {
      int cp = nfd.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) != Character.NON_SPACING_MARK) {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /**
   * Lowercases one code point at a time, as Rust's {@code char::to_lowercase} does: no
   * context-dependent rules such as the Greek final sigma, but full mappings such as U+0130 to "i"
   * + U+0307.
   */
  private static String lowercase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 128) {
        sb.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
      } else if (cp == 0x130) {
        sb.append("i\u0307");
      } else {
        sb.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return sb.toString();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "BasicTokenizer[lowercase=%s, stripAccents=%s]", lowercase, stripAccents);
  }
}
