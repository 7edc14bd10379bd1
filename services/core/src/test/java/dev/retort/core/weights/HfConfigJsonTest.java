package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HfConfigJsonTest {
  /** bert-base-uncased's config.json as published on the Hub. */
  static final String BERT_BASE =
      """
      {
        "architectures": ["BertForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "gradient_checkpointing": false,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 768,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 12,
        "num_hidden_layers": 12,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "transformers_version": "4.6.0.dev0",
        "type_vocab_size": 2,
        "use_cache": true,
        "vocab_size": 30522
      }""";

  private static HfConfig parse(String json) {
    return HfConfigJson.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
  }

  @Test
  void publishedBertBaseConfigParsesToThePreset() {
    HfConfig c = parse(BERT_BASE);
    assertThat(c.bert()).isEqualTo(BertConfig.bertBase());
    assertThat(c.labels()).isEmpty();
    assertThat(c.problemType()).isNull();
    assertThat(c.architectures()).containsExactly("BertForMaskedLM");
  }

  @Test
  void classifierRoundTripsWithLabelsAndProblemType() throws IOException {
    HfConfig in =
        HfConfig.classifier(
            BertConfig.tinyBert4L312().withGelu(Gelu.TANH), List.of("negative", "positive"));
    String text = HfConfigJson.toString(in);

    HfConfig out = parse(text);

    assertThat(out).isEqualTo(in);
    JsonNode j = new ObjectMapper().readTree(text);
    assertThat(j.get("hidden_act").asText()).isEqualTo("gelu_new");
    assertThat(j.get("id2label").get("1").asText()).isEqualTo("positive");
    assertThat(j.get("label2id").get("negative").asInt()).isZero();
    assertThat(j.get("num_labels").asInt()).isEqualTo(2);
    assertThat(j.get("problem_type").asText()).isEqualTo("single_label_classification");
    assertThat(j.get("architectures").get(0).asText()).isEqualTo("BertForSequenceClassification");
    assertThat(j.get("model_type").asText()).isEqualTo("bert");
    assertThat(j.get("hidden_dropout_prob").asDouble()).isEqualTo(0.1); // not 0.10000000149
    assertThat(j.get("layer_norm_eps").asDouble()).isEqualTo(1e-12);
  }

  @Test
  void regressionHasOneLabel() {
    HfConfig r = parse(HfConfigJson.toString(HfConfig.regression(BertConfig.tiny())));
    assertThat(r.problemType()).isEqualTo(HfConfig.ProblemType.REGRESSION);
    assertThat(r.numLabels()).isEqualTo(1);
  }

  @Test
  void numLabelsAloneGivesDefaultLabelNames() {
    HfConfig c = parse("{\"num_labels\": 3}");
    assertThat(c.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
  }

  @Test
  void unknownActivationNamesTheKey() {
    assertThatThrownBy(() -> parse("{\"hidden_act\": \"relu\"}"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("config.json key 'hidden_act'")
        .hasMessageContaining("relu");
  }

  @Test
  void inconsistentSizesNameTheKey() {
    assertThatThrownBy(() -> parse("{\"hidden_size\": 100, \"num_attention_heads\": 12}"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("hidden_size")
        .hasMessageContaining("not divisible by 12");
    assertThatThrownBy(
            () -> parse("{\"num_labels\": 3, \"id2label\": {\"0\": \"a\", \"1\": \"b\"}}"))
        .hasMessageContaining("key 'num_labels'");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"id2label\": {\"0\": \"a\", \"1\": \"b\"}, \"label2id\": {\"a\": 1, \"b\":"
                        + " 0}}"))
        .hasMessageContaining("key 'label2id'");
    assertThatThrownBy(() -> parse("{\"id2label\": {\"0\": \"a\", \"2\": \"b\"}}"))
        .hasMessageContaining("key 'id2label'");
    assertThatThrownBy(() -> parse("{\"vocab_size\": \"big\"}"))
        .hasMessageContaining("key 'vocab_size'")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> parse("{\"model_type\": \"roberta\"}"))
        .hasMessageContaining("key 'model_type'");
    assertThatThrownBy(() -> parse("{\"problem_type\": \"ranking\"}"))
        .hasMessageContaining("key 'problem_type'");
  }
}
