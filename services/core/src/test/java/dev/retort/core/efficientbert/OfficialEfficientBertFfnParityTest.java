package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.engine.Torch;
import java.io.IOException;
import java.io.InputStream;
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

  private static float[] floats(JsonNode values) {
    float[] v = new float[values.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) values.get(k).asDouble();
    }
    return v;
  }

  @Test
  void everyExpressionComputesWhatTheOfficialPrimitivesCompute() throws IOException {
    JsonNode f;
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      f = new ObjectMapper().readTree(in);
    }
    JsonNode xs = f.get("x_shape");
    int h = xs.get(2).asInt();
    int ffn = f.get("ffn").asInt();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(floats(f.get("x")), new Shape(xs.get(0).asLong(), xs.get(1).asLong(), h)); // [B, L, H]
      NDArray w1 = m.create(floats(f.get("w1")), new Shape(h, ffn)); // [H, I]
      NDArray b1 = m.create(floats(f.get("b1")), new Shape(ffn));
      NDArray w2 = m.create(floats(f.get("w2")), new Shape(ffn, h)); // [I, H]
      NDArray b2 = m.create(floats(f.get("b2")), new Shape(h));
      int cases = 0;
      for (JsonNode c : f.get("cases")) {
        String text = c.get("expression").asText();
        int units = c.get("units").asInt();
        LinearWeights wb1 = new LinearWeights(w1.get(new NDIndex(":, :" + units)), b1.get(new NDIndex(":" + units)));
        LinearWeights wb2 = new LinearWeights(w2.get(new NDIndex(":" + units + ", :")), b2);

        float[] ours = ExprEvaluator.evaluate(ExprParser.parse(text), x, wb1, wb2).toFloatArray();

        float[] official = floats(c.get("output"));
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
  void theFixtureHoldsThePublishedExpressions() throws IOException {
    JsonNode f;
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      f = new ObjectMapper().readTree(in);
    }
    for (int i = 0; i < EfficientBertArch.PUBLISHED_FFN.size(); i++) {
      assertThat(f.get("cases").get(i).get("expression").asText()).isEqualTo(EfficientBertArch.PUBLISHED_FFN.get(i));
    }
  }
}
