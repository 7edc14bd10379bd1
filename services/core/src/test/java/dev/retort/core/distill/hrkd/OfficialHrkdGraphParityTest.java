package dev.retort.core.distill.hrkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.testing.OfficialFixtures;
import org.junit.jupiter.api.Test;

/**
 * HRKD's domain-relational graph against the official code, number for number.
 *
 * <p>{@code hrkd-cab4f34.json} was written by {@code hrkd_reference.py} (next to it) with the
 * official {@code models/gnn.py} of cheneydon/hrkd at cab4f34: a MetaGraph (5 layers, 4 domains,
 * width 8, 2 GAT heads, hierarchical) with its own Xavier initialisation, random prototypes, and
 * what it computed in eval mode: each layer's domain ratios, the compare-aggregate weights β, and
 * the gradient of {@code Σ ratio·ell} with respect to the prototypes. Here retort's {@link
 * MetaGraph} loads those parameters (official name {@code all_gnn.L.attentions.K.W} is retort's
 * {@code gat.L.attention_K.W}; the rest are equal) and must compute the same ratios, weights and
 * gradient.
 */
class OfficialHrkdGraphParityTest {
  private static final String FIXTURE = "/hrkd/official/hrkd-cab4f34.json";

  /** The official parameter name in retort's module tree. */
  static String retortName(String official) {
    return official.replace("all_gnn.", "gat.").replaceAll("\\.attentions\\.(\\d+)\\.", ".attention_$1.");
  }

  @Test
  void ratiosHierarchyWeightsAndPrototypeGradientMatchTheOfficialGraph() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    int layers = f.get("layers").asInt();
    int domains = f.get("domains").asInt();
    int hidden = f.get("hidden").asInt();
    StateDict sd = OfficialFixtures.parameters(f.get("parameters"), "hrkd-cab4f34.json", OfficialHrkdGraphParityTest::retortName);
    try (NDManager m = NDManager.newBaseManager()) {
      MetaGraph g = new MetaGraph(hidden, layers, domains, f.get("heads").asInt(), 0.1f, (float) f.get("slope").asDouble(), true);
      LoadReport report = StateDicts.load(g, sd, m, LoadPolicy.STRICT);
      assertThat(report.freshlyInitialized()).isEmpty();
      NDArray p = m.create(OfficialFixtures.floats(f.get("prototypes")), new Shape(layers, domains, hidden));
      NDArray ell = m.create(OfficialFixtures.floats(f.get("ell")), new Shape(layers, domains));
      p.setRequiresGradient(true);
      float[][] ratios = new float[layers][];
      float[][][] betas = new float[layers][][];
      Torch.withGradMode(() -> {
        MetaGraph.GraphOutput out = g.forward(new ParameterStore(m, false), p, false);
        float[] flat = out.ratios().toFloatArray(); // [M+1, D]
        for (int l = 0; l < layers; l++) {
          ratios[l] = java.util.Arrays.copyOfRange(flat, l * domains, (l + 1) * domains);
        }
        for (int l = 1; l < layers; l++) {
          float[] b = out.hierarchy().get(l - 1).toFloatArray(); // [D, l+1]
          betas[l] = new float[domains][];
          for (int d = 0; d < domains; d++) {
            betas[l][d] = java.util.Arrays.copyOfRange(b, d * (l + 1), (d + 1) * (l + 1));
          }
        }
        NDArray loss = out.ratios().mul(ell).sum();
        assertThat((double) loss.getFloat()).as("loss").isCloseTo(f.get("loss").asDouble(), within(1e-5));
        Torch.backward(loss);
      });
      for (int l = 0; l < layers; l++) {
        for (int d = 0; d < domains; d++) {
          assertThat((double) ratios[l][d]).as("ratio[%d][%d]", l, d).isCloseTo(f.get("ratios").get(l).get(d).asDouble(), within(1e-6));
        }
      }
      for (int l = 1; l < layers; l++) {
        for (int d = 0; d < domains; d++) {
          for (int k = 0; k <= l; k++) {
            assertThat((double) betas[l][d][k]).as("beta[%d][%d][%d]", l, d, k)
                .isCloseTo(f.get("hierarchy").get(l - 1).get(d).get(k).asDouble(), within(1e-6));
          }
        }
      }
      float[] grad = p.getGradient().toFloatArray();
      JsonNode official = f.get("prototype_grad");
      assertThat(grad).hasSize(official.size());
      for (int k = 0; k < grad.length; k++) {
        assertThat((double) grad[k]).as("dL/dP[%d]", k).isCloseTo(official.get(k).asDouble(), within(1e-5 + 1e-4 * Math.abs(official.get(k).asDouble())));
      }
    }
  }

  /**
   * A fresh retort graph has the official code's initial scale, parameter by parameter: for every
   * tensor of at least 64 values the largest |w| is within 10% of the official one's (both are
   * close to their Xavier bound). Whole-tensor fans would give {@code w_attn_1} and {@code w_attn_2}
   * bounds of 0.34 and 0.14 here instead of 0.87 and 0.35.
   */
  @Test
  void freshGraphHasTheOfficialInitialScaleInEveryParameter() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    int layers = f.get("layers").asInt();
    StateDict sd = OfficialFixtures.parameters(f.get("parameters"), "hrkd-cab4f34.json", OfficialHrkdGraphParityTest::retortName);
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(11);
      MetaGraph g = new MetaGraph(f.get("hidden").asInt(), layers, f.get("domains").asInt(), f.get("heads").asInt(), 0.1f,
          (float) f.get("slope").asDouble(), true);
      g.initializeParameters(m);
      var fresh = g.namedParameters();
      int compared = 0;
      for (var e : sd.asMap().entrySet()) {
        float[] official = e.getValue().toFloats();
        if (official.length < 64) {
          continue; // too few draws for the maximum to sit near the bound
        }
        double officialMax = maxAbs(official);
        double retortMax = maxAbs(fresh.get(e.getKey()).getArray().toFloatArray());
        assertThat(retortMax).as("max |%s|", e.getKey()).isCloseTo(officialMax, within(0.1 * officialMax));
        compared++;
      }
      assertThat(compared).as("w_attn_1, w_attn_2 and every head's W").isEqualTo(2 + 2 * layers);
    }
  }

  private static double maxAbs(float[] v) {
    double max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    return max;
  }
}
