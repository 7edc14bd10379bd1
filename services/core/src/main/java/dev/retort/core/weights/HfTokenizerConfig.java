package dev.retort.core.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tokenizer files of a Hugging Face model directory besides {@code vocab.txt}: {@code
 * tokenizer_config.json} (a WordPiece {@code BertTokenizer}, cased or uncased) and {@code
 * special_tokens_map.json}. {@code AutoTokenizer.from_pretrained(dir)} builds the same tokenizer
 * retort uses from them.
 */
public final class HfTokenizerConfig {
  /** The name of the tokenizer configuration. */
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  /** The name of the special tokens map. */
  public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HfTokenizerConfig() {}

  /**
   * Returns {@code tokenizer_config.json}.
   *
   * @param lowercase whether the vocabulary is uncased
   * @param maxLength the model's position count, {@code model_max_length}
   * @return the JSON object
   */
  public static ObjectNode tokenizerConfig(boolean lowercase, int maxLength) {
    ObjectNode o = JSON.createObjectNode();
    o.put("clean_up_tokenization_spaces", true);
    o.put("cls_token", "[CLS]");
    o.put("do_basic_tokenize", true);
    o.put("do_lower_case", lowercase);
    o.put("mask_token", "[MASK]");
    o.put("model_max_length", maxLength);
    o.putNull("never_split");
    o.put("pad_token", "[PAD]");
    o.put("sep_token", "[SEP]");
    o.putNull("strip_accents");
    o.put("tokenize_chinese_chars", true);
    o.put("tokenizer_class", "BertTokenizer");
    o.put("unk_token", "[UNK]");
    return o;
  }

  /** Returns {@code special_tokens_map.json}: BERT's five special tokens. */
  public static ObjectNode specialTokensMap() {
    ObjectNode o = JSON.createObjectNode();
    o.put("cls_token", "[CLS]");
    o.put("mask_token", "[MASK]");
    o.put("pad_token", "[PAD]");
    o.put("sep_token", "[SEP]");
    o.put("unk_token", "[UNK]");
    return o;
  }
}
