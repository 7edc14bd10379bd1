package dev.retort.core.distill.hrkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Dense;
import dev.retort.core.train.StepTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HRKD's student loss. The graph's gradient path: with the graph frozen and evaluated on detached
 * prototypes, the student's gradient (here: a projection's) still equals the gradient of the full
 * loss through the ratios, and that ratio path is not zero. The ablation without the graph: its
 * terms take hidden-ratio and pred-ratio as the official code's do.
 */
class HrkdObjectiveTest {
  private static final int D = 3;
  private static final int H_S = 4;
  private static final int H_T = 6;

  @Test
  void frozenGraphStillPassesGradientThroughTheRatiosExactly() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(12);
      Dense proj = new Dense(H_S, H_T, 0.5f);
      proj.initializeParameters(m);
      List<NDArray> studentHidden = new ArrayList<>(); // [d][l]
      List<TeacherOutputs> teacher = new ArrayList<>();
      List<NDArray> studentScores = new ArrayList<>();
      List<NDArray> studentLogits = new ArrayList<>();
      for (int d = 0; d < D; d++) {
        for (int l = 0; l < 2; l++) {
          studentHidden.add(m.randomNormal(new Shape(2, 3, H_S)));
        }
        studentScores.add(m.randomNormal(new Shape(2, 2, 3, 3)));
        studentLogits.add(m.randomNormal(new Shape(2, 3)));
        teacher.add(new TeacherOutputs(
            Map.of(0, m.randomNormal(new Shape(2, 3, H_T)), 1, m.randomNormal(new Shape(2, 3, H_T))),
            Map.of(1, m.randomNormal(new Shape(2, 2, 3, 3))), m.randomNormal(new Shape(2, 3))));
      }
      GraphOptions opts = new GraphOptions(false, true, 2, 0f, 0.2f, 1e-3, 0.0, 10, 0.1, 5, 2, D, H_T);
      try (LocalGraphBackend backend = new LocalGraphBackend(opts, m)) {
        var soft = new SoftCrossEntropy(1f, false, 1f);
        var objective = new HrkdObjective(backend, 1.0, 1.0, 1, soft);

        float[] viaService = gradient(m, proj, () -> {
          List<DomainPass> passes = passes(m, proj, studentHidden, studentScores, studentLogits, teacher);
          return objective.compute(passes, m, 7, false, new StepTimer()).total();
        });
        // Reference: prototypes stay in the autograd graph and the (frozen) graph runs inside it.
        float[] full = gradient(m, proj, () -> fullLoss(m, proj, backend.graph(), studentHidden, studentScores, studentLogits, teacher, soft, false));
        // Without the ratio path: ratios as constants.
        float[] ratiosConstant = gradient(m, proj, () -> fullLoss(m, proj, backend.graph(), studentHidden, studentScores, studentLogits, teacher, soft, true));

        double maxDiff = 0;
        double ratioPath = 0;
        for (int i = 0; i < full.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(viaService[i] - full[i]));
          ratioPath = Math.max(ratioPath, Math.abs(full[i] - ratiosConstant[i]));
        }
        assertThat(maxDiff).as("surrogate vs full autograd").isLessThan(1e-5);
        assertThat(ratioPath).as("the ratio path's share of the gradient").isGreaterThan(1e-4);
      }
    }
  }

  @Test
  void multiDomainKdAblationWeighsLayerAndPredictionTermsByHiddenAndPredRatio() {
    Torch.noGradOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      // Two domains, one student layer; the student outputs zeros, the teacher constants:
      // embedding MSE (0−1)² = 1, attention MSE (0−2)² = 4, hidden MSE (0−3)² = 9 in domain 0 and
      // (0−1)² = 1 in domain 1, so Σ ℓ = 14 + 6 = 20. Equal logits over 2 classes give
      // SCE = mean_{b,c}(½·ln 2) = (ln 2)/2 per domain, ln 2 over both.
      List<DomainPass> passes = new ArrayList<>();
      for (float hidden : new float[] {3f, 1f}) {
        NDArray zeros = m.zeros(new Shape(1, 2, 2)); // [b, L, H_T]
        NDArray scores = m.zeros(new Shape(1, 1, 2, 2)); // [b, A, L, L]
        NDArray logits = m.zeros(new Shape(1, 2)); // [b, C]
        BertOutputs s = new BertOutputs(List.of(zeros, zeros), List.of(scores), List.of(), zeros, null, logits);
        TeacherOutputs t = new TeacherOutputs(
            Map.of(0, m.ones(new Shape(1, 2, 2)), 1, m.full(new Shape(1, 2, 2), hidden)),
            Map.of(1, m.full(new Shape(1, 1, 2, 2), 2f)), m.zeros(new Shape(1, 2)));
        passes.add(new DomainPass(s, List.of(zeros, zeros), t));
      }
      var objective = new HrkdObjective(null, 0.5, 3.0, 1, new SoftCrossEntropy(1f, false, 1f));
      double total = objective.compute(passes, m, 1, false, new StepTimer()).total().getFloat();
      // finetune_multi_domain.py:628: hidden_ratio · Σ ℓ + pred_ratio · Σ_d SCE_d, no 1/D.
      assertThat(total).isCloseTo(0.5 * 20 + 3.0 * Math.log(2), within(1e-5));
    }
  }

  private static List<DomainPass> passes(
      NDManager m, Dense proj, List<NDArray> hidden, List<NDArray> scores, List<NDArray> logits, List<TeacherOutputs> teacher) {
    ParameterStore ps = new ParameterStore(m, false);
    List<DomainPass> out = new ArrayList<>();
    for (int d = 0; d < D; d++) {
      List<NDArray> h = List.of(hidden.get(2 * d), hidden.get(2 * d + 1));
      BertOutputs s = new BertOutputs(h, List.of(scores.get(d)), List.of(), h.get(1), null, logits.get(d));
      out.add(new DomainPass(s, List.of(proj.forward(ps, h.get(0), true), proj.forward(ps, h.get(1), true)), teacher.get(d)));
    }
    return out;
  }

  private static NDArray fullLoss(
      NDManager m, Dense proj, MetaGraph graph, List<NDArray> hidden, List<NDArray> scores, List<NDArray> logits,
      List<TeacherOutputs> teacher, SoftCrossEntropy soft, boolean ratiosConstant) {
    List<DomainPass> passes = passes(m, proj, hidden, scores, logits, teacher);
    NDList protoRows = new NDList();
    NDList lossRows = new NDList();
    var att = new AttentionScoreMse();
    for (int l = 0; l < 2; l++) {
      NDList protos = new NDList();
      NDList losses = new NDList();
      for (DomainPass p : passes) {
        NDArray h = p.projected().get(l);
        protos.add(h.reshape(-1, h.getShape().get(2)).mean(new int[] {0}));
        NDArray ell = h.sub(p.teacher().hidden(l)).square().mean();
        if (l == 1) {
          ell = ell.add(att.compute(p.student().attentionScores().get(0), p.teacher().scores(1)));
        }
        losses.add(ell);
      }
      protoRows.add(NDArrays.stack(protos));
      lossRows.add(NDArrays.stack(losses));
    }
    Torch.seed(5 * 1_000_003L + 7); // the backend's dropout seed for step 7 (dropout is 0 here anyway)
    NDArray r = graph.forward(new ParameterStore(m, false), NDArrays.stack(protoRows), true).ratios();
    if (ratiosConstant) {
      r = r.stopGradient();
    }
    NDArray pred = null;
    for (DomainPass p : passes) {
      NDArray s = soft.compute(p.student().logits(), p.teacher().requireLogits());
      pred = pred == null ? s : pred.add(s);
    }
    return r.mul(NDArrays.stack(lossRows)).sum().add(pred.div(D));
  }

  private static float[] gradient(NDManager m, Dense proj, java.util.function.Supplier<NDArray> loss) {
    try (GradientCollector gc = m.getEngine().newGradientCollector()) {
      gc.backward(loss.get());
    }
    NDArray w = proj.weight().getArray();
    float[] g = w.getGradient().toFloatArray();
    Torch.zeroGrad(w);
    Torch.zeroGrad(proj.bias().getArray());
    return g;
  }
}
