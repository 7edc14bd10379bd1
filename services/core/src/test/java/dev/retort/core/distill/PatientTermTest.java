package dev.retort.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertOutputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PKD's patient term in the objective: one mean over batch, mapped layers and width, as PKD's code
 * takes {@code F.mse_loss} of its {@code [B, layers, H]} tensor of normalised [CLS] vectors.
 */
class PatientTermTest {

  @Test
  void thePatientTermAveragesOverTheMappedLayers() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      // [B=1, L=1, H=2] per state. Layer 1: (1, 0) against (0, 1), squares 1, 1. Layer 2: equal.
      NDArray emb = m.create(new float[] {1, 1}, new Shape(1, 1, 2));
      List<NDArray> studentStates =
          List.of(emb, m.create(new float[] {1, 0}, new Shape(1, 1, 2)), m.create(new float[] {2, 0}, new Shape(1, 1, 2)));
      BertOutputs student = new BertOutputs(studentStates, List.of(), List.of(), null, null, null);
      TeacherOutputs teacher =
          new TeacherOutputs(
              Map.of(0, emb, 1, m.create(new float[] {0, 3}, new Shape(1, 1, 2)), 2, m.create(new float[] {5, 0}, new Shape(1, 1, 2))),
              Map.of(),
              null);
      var objective =
          new LayerwiseObjective(
              "pkd",
              LayerMapping.explicit(List.of(1, 2), 2, 2),
              new HiddenProjection(HiddenProjection.Mode.NONE, 2, 2, 2, 0.02f),
              new TermWeights(0, 100, 0, 0),
              LayerwiseObjective.HiddenLoss.PATIENT,
              false,
              false,
              new PredictionLoss(false, 1f, new SoftCrossEntropy(1f, true, 1f), PredictionLoss.RegressionTarget.TEACHER));

      LossBreakdown loss =
          objective.compute(new ParameterStore(m, false), student, teacher, null, Phase.INTERMEDIATE, 0, null);

      // (mean(1, 1) + mean(0, 0)) / 2 layers = 0.5; weighted by beta = 100
      assertThat(loss.values().get("pt")).isCloseTo(0.5, within(1e-6));
      assertThat(loss.total().getFloat()).isCloseTo(50f, within(1e-4f));
    }
  }
}
