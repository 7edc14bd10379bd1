package dev.retort.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.train.StepTimer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * β scales BERT-EMD's layer terms in joint training; the first stage of the paper-era two-stage
 * code trains on them unscaled ({@code loss = rep_loss + att_loss + embedding_loss}).
 */
class EmdStageScalingTest {

  private static LossBreakdown loss(NDManager m, Phase phase) {
    // One student and one teacher layer, [B=1, L=1, H=2] states and [B=1, A=1, 1, 1] scores.
    BertOutputs student =
        new BertOutputs(
            List.of(m.create(new float[] {1, 2}, new Shape(1, 1, 2)), m.create(new float[] {0, 1}, new Shape(1, 1, 2))),
            List.of(m.create(new float[] {3}, new Shape(1, 1, 1, 1))),
            List.of(),
            null,
            null,
            m.create(new float[] {0.5f, -0.5f}, new Shape(1, 2)));
    TeacherOutputs teacher =
        new TeacherOutputs(
            Map.of(0, m.create(new float[] {1, 0}, new Shape(1, 1, 2)), 1, m.create(new float[] {2, 1}, new Shape(1, 1, 2))),
            Map.of(1, m.create(new float[] {1}, new Shape(1, 1, 1, 1))),
            m.create(new float[] {0.1f, 0.2f}, new Shape(1, 2)));
    var objective =
        new EmdObjective(
            new HiddenProjection(HiddenProjection.Mode.NONE, 2, 2, 1, 0.02f),
            new LocalTransportBackend(CostAttention.builder().build()),
            new PredictionLoss(false, 1f, new SoftCrossEntropy(1f, true, 1f), PredictionLoss.RegressionTarget.TEACHER),
            0.01,
            1.0,
            1,
            1);
    return objective.compute(new ParameterStore(m, false), student, teacher, null, phase, 0, new StepTimer());
  }

  @Test
  void theIntermediateStageSumsTheLayerTermsWithoutBeta() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      LossBreakdown intermediate = loss(m, Phase.INTERMEDIATE);
      // hid: ((0-2)² + (1-1)²) / 2 = 2; att: (3-1)² = 4; emb: (0² + 2²) / 2 = 2
      Map<String, Double> v = intermediate.values();
      assertThat(v.get("hid")).isCloseTo(2.0, within(1e-6));
      assertThat(v.get("att")).isCloseTo(4.0, within(1e-6));
      assertThat(v.get("emb")).isCloseTo(2.0, within(1e-6));
      assertThat(intermediate.total().getFloat()).isCloseTo(8f, within(1e-5f));

      LossBreakdown joint = loss(m, Phase.JOINT);
      float pred = loss(m, Phase.PREDICTION).total().getFloat();
      assertThat(joint.total().getFloat()).isCloseTo(0.01f * 8 + pred, within(1e-5f));
    }
  }
}
