package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retort.core.engine.Torch;
import dev.retort.core.testing.OfficialFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EfficientBERT's FFN expressions against the official primitives, number for number.
 *
 * <p>{@code efficientbert-e4b3025.json} was written by {@code efficientbert_reference.py} (next to
 * it) with the official {@code Operator} (utils/operator_utils.py) and {@code gelu} (models/bert.py)
 * of cheneydon/efficient-bert at e4b3025: the six published expressions and three more that use
 * the remaining primitives (add, swish, max and mul between different widths, sigmoid, elu,
 * leaky_relu), each with the weights sliced to its expansion ratio as {@code
 * AutoBertFeedForwardNetwork} slices them. Retort's parser and {@link ExprEvaluator} must give the
 * same outputs.
 */
class OfficialEfficientBertFfnParityTest {
  private static final String FIXTURE = "/efficientbert/official/efficientbert-e4b3025.json";

  @BeforeAll
  static void noGrad() {
    Torch.noGradOnThisThread();
  }

  @Test
  void everyExpressionComputesWhatTheOfficialPrimitivesCompute() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    JsonNode xs = f.get("x_shape");
    int h = xs.get(2).asInt();
    int ffn = f.get("ffn").asInt();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(OfficialFixtures.floats(f.get("x")), new Shape(xs.get(0).asLong(), xs.get(1).asLong(), h)); // [B, L, H]
      NDArray w1 = m.create(OfficialFixtures.floats(f.get("w1")), new Shape(h, ffn)); // [H, I]
      NDArray b1 = m.create(OfficialFixtures.floats(f.get("b1")), new Shape(ffn));
      NDArray w2 = m.create(OfficialFixtures.floats(f.get("w2")), new Shape(ffn, h)); // [I, H]
      NDArray b2 = m.create(OfficialFixtures.floats(f.get("b2")), new Shape(h));
      int cases = 0;
      for (JsonNode c : f.get("cases")) {
        String text = c.get("expression").asText();
        int units = c.get("units").asInt();
        LinearWeights wb1 = new LinearWeights(w1.get(new NDIndex(":, :" + units)), b1.get(new NDIndex(":" + units)));
        LinearWeights wb2 = new LinearWeights(w2.get(new NDIndex(":" + units + ", :")), b2);

        float[] ours = ExprEvaluator.evaluate(ExprParser.parse(text), x, wb1, wb2).toFloatArray();

        float[] official = OfficialFixtures.floats(c.get("output"));
        assertThat(ours).as(text).hasSize(official.length);
        for (int k = 0; k < ours.length; k++) {
          assertThat((double) ours[k]).as("%s [%d]", text, k).isCloseTo(official[k], within(1e-6 + 1e-6 * Math.abs(official[k])));
        }
        cases++;
      }
      assertThat(cases).isEqualTo(9);
    }
  }

  @Test
  void theFixtureHoldsThePublishedExpressions() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    for (int i = 0; i < EfficientBertArch.PUBLISHED_FFN.size(); i++) {
      assertThat(f.get("cases").get(i).get("expression").asText()).isEqualTo(EfficientBertArch.PUBLISHED_FFN.get(i));
    }
  }
}
