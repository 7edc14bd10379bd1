package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.HfModule;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the embedding and FFN blocks against plain-Java computations of their formulas. */
class AutoBertBlocksTest {
  private static final float EPS = 1e-5f;

  @Test
  void trigramEmbeddingMatchesTheFormulaWithZeroPaddedNeighbours() {
    Engine.getInstance().setRandomSeed(5);
    EfficientBertArch arch = SmallModels.arch(12, SmallModels.PUBLISHED);
    int e = arch.embeddingSize();
    int h = arch.hiddenSize();
    try (NDManager manager = NDManager.newBaseManager()) {
      var emb = new MobileBertEmbeddings(arch, SmallModels.noDropout());
      emb.initializeParameters(manager);
      BertInput in = SmallModels.input(manager);
      float[] out = emb.forward(new ParameterStore(manager, false), in, false).toFloatArray();

      float[] tok = floats(emb, "token_embeddings.weight"); // [V, E]
      float[] seg = floats(emb, "segment_embeddings.weight"); // [T, H]
      float[] pos = floats(emb, "position_embeddings.weight"); // [P, H]
      float[] w = floats(emb, "dense.weight"); // [H, 3E]
      float[] b = floats(emb, "dense.bias"); // [H]
      long[] ids = in.inputIds().toLongArray();
      long[] types = in.tokenTypeIds().toLongArray();
      int len = 7;
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < len; t++) {
          float[] tri = new float[3 * e];
          for (int k = 0; k < e; k++) {
            tri[k] = t + 1 < len ? tok[(int) ids[r * len + t + 1] * e + k] : 0f; // e_(t+1)
            tri[e + k] = tok[(int) ids[r * len + t] * e + k]; // e_t
            tri[2 * e + k] = t > 0 ? tok[(int) ids[r * len + t - 1] * e + k] : 0f; // e_(t-1)
          }
          float[] x = new float[h];
          for (int j = 0; j < h; j++) {
            float s = b[j] + pos[t * h + j] + seg[(int) types[r * len + t] * h + j];
            for (int k = 0; k < 3 * e; k++) {
              s += w[j * 3 * e + k] * tri[k];
            }
            x[j] = s;
          }
          float[] expected = layerNorm(x);
          for (int j = 0; j < h; j++) {
            assertThat(out[(r * len + t) * h + j]).isCloseTo(expected[j], within(2e-5f));
          }
        }
      }
    }
  }

  @Test
  void ffnEvaluatesTheExpressionOnTheFirstInnerUnitsThenAddsAndNormalises() {
    Engine.getInstance().setRandomSeed(9);
    int h = 6;
    int stored = 6;
    int m = 3;
    try (NDManager manager = NDManager.newBaseManager()) {
      var ffn = new AutoBertFfn(h, stored, SmallModels.noDropout());
      ffn.initializeParameters(manager);
      float[] x = new float[2 * 3 * h];
      Random rnd = new Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian();
      }
      NDArray xs = manager.create(x, new Shape(2, 3, h));
      float[] w1 = floats(ffn, "dense1.weight"); // [S, H]
      float[] b1 = floats(ffn, "dense1.bias"); // [S]
      float[] w2 = floats(ffn, "dense2.weight"); // [H, S]
      float[] b2 = floats(ffn, "dense2.bias"); // [H]
      ParameterStore ps = new ParameterStore(manager, false);

      // sigmoid(W2 relu(W1 x + b1) + b2) on the first m units.
      float[] a =
          ffn.forward(
                  ps, xs, Expr.parse("sigmoid(linear1_2(relu(linear1_2(x,wb1)),wb2))"), m, false)
              .toFloatArray();
      // W2 relu((W1 x + b1) * x[:m]) + b2: mul truncates x to m channels.
      float[] c =
          ffn.forward(ps, xs, Expr.parse("linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)"), m, false)
              .toFloatArray();
      for (int p = 0; p < 6; p++) {
        float[] in = new float[h];
        System.arraycopy(x, p * h, in, 0, h);
        float[] innerA = new float[m];
        float[] innerC = new float[m];
        for (int i = 0; i < m; i++) {
          float s = b1[i];
          for (int j = 0; j < h; j++) {
            s += w1[i * h + j] * in[j];
          }
          innerA[i] = Math.max(s, 0f);
          innerC[i] = Math.max(s * in[i], 0f);
        }
        float[] fa = new float[h];
        float[] fc = new float[h];
        for (int j = 0; j < h; j++) {
          float sa = b2[j];
          float sc = b2[j];
          for (int i = 0; i < m; i++) {
            sa += w2[j * stored + i] * innerA[i];
            sc += w2[j * stored + i] * innerC[i];
          }
          fa[j] = in[j] + (float) (1 / (1 + Math.exp(-sa)));
          fc[j] = in[j] + sc;
        }
        float[] ea = layerNorm(fa);
        float[] ec = layerNorm(fc);
        for (int j = 0; j < h; j++) {
          assertThat(a[p * h + j]).isCloseTo(ea[j], within(2e-5f));
          assertThat(c[p * h + j]).isCloseTo(ec[j], within(2e-5f));
        }
      }
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float v) {
    return org.assertj.core.data.Offset.offset(v);
  }

  private static float[] floats(HfModule m, String name) {
    return m.namedParameters().get(name).getArray().toFloatArray();
  }

  /** LayerNorm with weight 1, bias 0 and the reference epsilon 1e-5. */
  private static float[] layerNorm(float[] x) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) ((x[i] - mean) / Math.sqrt(var + EPS));
    }
    return out;
  }
}
