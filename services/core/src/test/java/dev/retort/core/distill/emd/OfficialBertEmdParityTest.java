package dev.retort.core.distill.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retort.core.distill.PredictionLoss;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.testing.OfficialFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BERT-EMD's loss and layer-weight update against the official code, number for number.
 *
 * <p>{@code bert-emd-82c63ff.json} was written by {@code bert_emd_reference.py} (next to it), which
 * runs the official {@code transformer_loss} and {@code get_new_layer_weight} of lxk00/BERT-EMD at
 * 82c63ff, compiled from their source, for three successive steps on random attention scores (with
 * BERT's −10000 padding mask) and hidden states; pyemd's {@code emd_with_flow} was POT's exact
 * {@code ot.emd} there. Here the same inputs go through retort's distances ({@link
 * EmdDistances}), transport solver and cost-attention update with the official settings (sum
 * normalisation, averaged weights, official guard), step after step from uniform weights. Each
 * step's attention and hidden-state EMD loss and the weights after it must match; so must the
 * prediction loss against the official {@code distillation_loss} (classification and regression,
 * several T and α).
 */
class OfficialBertEmdParityTest {
  private static final String FIXTURE = "/emd/official/bert-emd-82c63ff.json";

  private static List<NDArray> tensors(NDManager m, JsonNode list, long[] shape) {
    List<NDArray> out = new ArrayList<>();
    for (JsonNode t : list) {
      float[] v = new float[t.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = (float) t.get(k).asDouble();
      }
      out.add(m.create(v, new Shape(shape)));
    }
    return out;
  }

  private static double transportCost(TransportPlan plan, double[][] d) {
    double total = 0;
    for (int i = 0; i < d.length; i++) {
      for (int j = 0; j < d[i].length; j++) {
        total += plan.flowAt(i, j) * d[i][j];
      }
    }
    return total;
  }

  @Test
  void lossesAndLayerWeightsMatchTheOfficialCodeOverThreeSteps() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    int m = f.get("M").asInt();
    int n = f.get("N").asInt();
    long[] attShape = OfficialFixtures.longs(f.get("att_shape"));
    long[] repShape = OfficialFixtures.longs(f.get("rep_shape"));
    CostAttention rule =
        CostAttention.builder()
            .optNormalisation(CostAttention.Normalisation.V2022_SUM)
            .optSeparate(false)
            .optGuard(CostAttention.Guard.OFFICIAL)
            .build();
    TransportSolver solver = TransportSolver.create();
    EmdLayerWeights weights = rule.initial(m, n);
    int step = 0;
    for (JsonNode s : f.get("steps")) {
      try (NDManager nd = NDManager.newBaseManager()) {
        List<NDArray> sAtt = EmdDistances.masked(tensors(nd, s.get("student_att"), attShape));
        List<NDArray> tAtt = EmdDistances.masked(tensors(nd, s.get("teacher_att"), attShape));
        List<NDArray> sRep = tensors(nd, s.get("student_rep"), repShape);
        List<NDArray> tRep = tensors(nd, s.get("teacher_rep"), repShape);
        // The EMD runs over layers 1..M and 1..N; index 0 (the embeddings) is matched separately.
        double[][] att = EmdDistances.pairwiseMseValues(sAtt, tAtt);
        double[][] hid = EmdDistances.pairwiseMseValues(sRep.subList(1, m + 1), tRep.subList(1, n + 1));

        EmdSolution sol = LocalTransportBackend.solve(solver, rule, weights, att, hid);

        String at = "step " + step;
        assertThat(transportCost(sol.attention(), att))
            .as(at + " attention EMD loss")
            .isCloseTo(s.get("att_loss").asDouble(), within(2e-6 * s.get("att_loss").asDouble()));
        assertThat(transportCost(sol.hidden(), hid))
            .as(at + " hidden-state EMD loss")
            .isCloseTo(s.get("rep_loss").asDouble(), within(2e-6 * s.get("rep_loss").asDouble()));
        weights = sol.next();
        for (int i = 0; i < m; i++) {
          double official = s.get("student_weight_after").get(i).asDouble();
          assertThat(weights.studentAtt()[i]).as(at + " student weight " + i).isCloseTo(official, within(1e-6));
          assertThat(weights.studentHid()[i]).as(at + " student weight " + i + " (hidden)").isCloseTo(official, within(1e-6));
        }
        for (int j = 0; j < n; j++) {
          double official = s.get("teacher_weight_after").get(j).asDouble();
          assertThat(weights.teacherAtt()[j]).as(at + " teacher weight " + j).isCloseTo(official, within(1e-6));
        }
      }
      step++;
    }
    assertThat(step).isEqualTo(3);
  }

  @Test
  void predictionLossMatchesTheOfficialDistillationLoss() {
    JsonNode f = OfficialFixtures.read(FIXTURE);
    int cases = 0;
    for (JsonNode c : f.get("prediction")) {
      boolean regression = "regression".equals(c.get("mode").asText());
      float t = (float) c.get("T").asDouble();
      float alpha = (float) c.get("alpha").asDouble();
      int n = c.get("labels").size();
      try (NDManager nd = NDManager.newBaseManager()) {
        long classes = c.get("student").size() / n;
        NDArray student = nd.create(OfficialFixtures.floats(c.get("student")), new Shape(n, classes)); // [B, C]
        NDArray teacher = nd.create(OfficialFixtures.floats(c.get("teacher")), new Shape(n, classes)); // [B, C]
        NDArray labels;
        if (regression) {
          labels = nd.create(OfficialFixtures.floats(c.get("labels")), new Shape(n)); // [B]
        } else {
          long[] ids = new long[n];
          for (int k = 0; k < n; k++) {
            ids[k] = c.get("labels").get(k).asLong();
          }
          labels = nd.create(ids, new Shape(n)); // [B]
        }
        // The official default reduce_T = 1: soft part × T² / 1.
        PredictionLoss loss =
            new PredictionLoss(regression, alpha, new SoftCrossEntropy(t, true, 1f), PredictionLoss.RegressionTarget.TEACHER);
        double ours = loss.compute(student, teacher, labels).total().getFloat();
        double official = c.get("loss").asDouble();
        assertThat(ours).as("%s T=%s alpha=%s", c.get("mode").asText(), t, alpha).isCloseTo(official, within(1e-6 * Math.max(1, Math.abs(official))));
      }
      cases++;
    }
    assertThat(cases).isEqualTo(5);
  }

}
