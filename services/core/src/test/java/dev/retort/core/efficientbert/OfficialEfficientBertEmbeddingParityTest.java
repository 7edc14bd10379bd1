package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.testing.OfficialFixtures;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MobileBERT-style trigram embedding of EfficientBERT against the official module.
 *
 * <p>{@code embedding-e4b3025.json} was written by {@code embedding_reference.py} (next to it) with
 * the official {@code MobileBertEmbedding} of cheneydon/efficient-bert at e4b3025 (V 30, E 4, H 12,
 * 16 positions): its parameters under their official names, which are retort's too, a batch with
 * padding and the output in eval mode. Retort's {@link MobileBertEmbeddings}, with the official
 * LayerNorm epsilon (1e-5, {@link AutoBertOptions#reference()}), must compute the same output.
 */
class OfficialEfficientBertEmbeddingParityTest {
  private static final String FIXTURE = "/efficientbert/official/embedding-e4b3025.json";

  @BeforeAll
  static void noGrad() {
    Torch.noGradOnThisThread();
  }

  private static int[][] ints(JsonNode rows) {
    int[][] out = new int[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new int[rows.get(r).size()];
      for (int k = 0; k < out[r].length; k++) {
        out[r][k] = rows.get(r).get(k).asInt();
      }
    }
    return out;
  }

  @Test
  void theTrigramEmbeddingComputesTheOfficialOutput() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    JsonNode c = f.get("config");
    EfficientBertArch arch =
        EfficientBertArch.builder()
            .setHiddenSize(c.get("hidden_size").asInt())
            .setLayerExpressions(List.of(ExprParser.parse(EfficientBertArch.PUBLISHED_FFN.get(1))))
            .optNumHeads(2)
            .optEmbeddingSize(c.get("embed_size").asInt())
            .optVocabSize(c.get("vocab_size").asInt())
            .optMaxPositions(c.get("position_size").asInt())
            .optTypeVocabSize(c.get("segment_size").asInt())
            .build();
    AutoBertOptions options = AutoBertOptions.reference();
    assertThat((double) options.layerNormEps()).isCloseTo(f.get("layernorm_eps").asDouble(), within(1e-12));
    StateDict sd = OfficialFixtures.parameters(f.get("parameters"), "embedding-e4b3025.json", name -> name);
    try (NDManager m = NDManager.newBaseManager()) {
      MobileBertEmbeddings emb = new MobileBertEmbeddings(arch, options);
      LoadReport report = StateDicts.load(emb, sd, m, LoadPolicy.STRICT);
      assertThat(report.freshlyInitialized()).isEmpty();
      int[][] ids = ints(f.get("token_ids"));
      int[][] types = ints(f.get("segment_ids"));
      int[][] mask = new int[ids.length][ids[0].length];
      for (int[] row : mask) {
        java.util.Arrays.fill(row, 1);
      }
      float[] ours = emb.forward(new ParameterStore(m, false), BertInput.of(m, ids, types, mask), false).toFloatArray();
      float[] official = OfficialFixtures.floats(f.get("output"));
      assertThat(ours).hasSize(official.length);
      for (int k = 0; k < ours.length; k++) {
        assertThat((double) ours[k]).as("output[%d]", k).isCloseTo(official[k], within(1e-5));
      }
    }
  }
}
