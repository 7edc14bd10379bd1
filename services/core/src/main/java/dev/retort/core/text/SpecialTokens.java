package dev.retort.core.text;

import dev.retort.core.RetortException;
import java.util.List;

/**
 * The ids of BERT's special tokens in one vocabulary.
 *
 * @param pad id of {@code [PAD]}
 * @param unk id of {@code [UNK]}
 * @param cls id of {@code [CLS]}
 * @param sep id of {@code [SEP]}
 * @param mask id of {@code [MASK]}
 */
public record SpecialTokens(int pad, int unk, int cls, int sep, int mask) {
  /** The padding token string. */
  public static final String PAD = "[PAD]";

  /** The unknown-word token string. */
  public static final String UNK = "[UNK]";

  /** The classification token string. */
  public static final String CLS = "[CLS]";

  /** The separator token string. */
  public static final String SEP = "[SEP]";

  /** The mask token string. */
  public static final String MASK = "[MASK]";

  /** The five special token strings, in the order of this record's components. */
  public static final List<String> ALL = List.of(PAD, UNK, CLS, SEP, MASK);

  /**
   * Looks up the special tokens by their strings.
   *
   * @param vocabulary the vocabulary
   * @return the ids
   * @throws RetortException naming the vocabulary and the missing tokens if any is absent
   */
  public static SpecialTokens lookup(Vocabulary vocabulary) {
    StringBuilder missing = new StringBuilder();
    for (String t : ALL) {
      if (!vocabulary.contains(t)) {
        missing.append(missing.length() == 0 ? "" : ", ").append(t);
      }
    }
    if (missing.length() > 0) {
      throw new RetortException(
          vocabulary.source(),
          "the vocabulary lacks the special token(s) " + missing,
          "Use a BERT vocab.txt that contains [PAD], [UNK], [CLS], [SEP] and [MASK]");
    }
    return new SpecialTokens(
        vocabulary.id(PAD),
        vocabulary.id(UNK),
        vocabulary.id(CLS),
        vocabulary.id(SEP),
        vocabulary.id(MASK));
  }
}
