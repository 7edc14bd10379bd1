package dev.retort.core.text;

/**
 * Character classes used by BERT's basic tokenizer, defined as in HF tokenizers' {@code
 * BertNormalizer} and {@code BertPreTokenizer}.
 *
 * <p>All methods take a Unicode code point, not a UTF-16 unit.
 */
final class CharClasses {
  private CharClasses() {}

  /**
   * Returns whether the code point is whitespace: tab, newline, carriage return, or a character
   * with the Unicode White_Space property (space, line and paragraph separators, the
   * space-separator category).
   */
  static boolean isWhitespace(int cp) {
    switch (cp) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case 0x0B:
      case 0x0C:
      case 0x85:
        return true;
      default:
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR
            || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR;
    }
  }

  /**
   * Returns whether the code point is a control character to drop: any code point in a Unicode
   * "other" category (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage return.
   */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /**
   * Returns whether the code point is punctuation: any ASCII non-alphanumeric printable symbol
   * (code points 33-47, 58-64, 91-96, 123-126, including {@code $ + < = > ^ ` | ~}) or any
   * character in a Unicode punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
   */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  /**
   * Returns whether the code point is a CJK ideograph in one of the blocks BERT splits into single
   * characters (CJK Unified Ideographs, extensions A to E, and the compatibility blocks).
   */
  static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
