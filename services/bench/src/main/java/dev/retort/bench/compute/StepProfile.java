package dev.retort.bench.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainableParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finer look inside the loop's {@code forward} part: the same work as a step's loss function
 * ({@link DistillationStep}), timed in two pieces, then back-propagated, without the optimiser
 * update (gradients are cleared afterwards, so the weights do not change).
 *
 * <pre>
 * student forward = the student's pass with the taps BERT-EMD needs (hidden states, scores)
 * loss terms      = the objective: masks, projection, the 4×12 distance matrices, the transport
 *                   solve, the transport, embedding and prediction terms
 * backward        = back-propagation of the total loss
 * </pre>
 */
public final class StepProfile {
  private StepProfile() {}

  /**
   * Profiles passes of the workload's step.
   *
   * @param w the workload (teacher outputs given)
   * @param passes how many passes; the medians are returned
   * @return median seconds of {@code student forward}, {@code loss terms}, {@code backward}
   */
  public static Map<String, Double> measure(StepWorkload w, int passes) {
    List<TrainableParameter> params = StepRunner.parameters(w.student(), w.objective().modules());
    TeacherOutputs given = w.given();
    double[] fwd = new double[passes];
    double[] loss = new double[passes];
    double[] bwd = new double[passes];
    Batch batch = w.batch();
    for (int k = 0; k < passes; k++) {
      try (NDManager m = w.studentManager().newSubManager()) {
        for (TrainableParameter p : params) {
          m.tempAttachAll(p.array());
        }
        new GivenTeacher(given).outputs(batch, m, new StepTimer());
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
          long t0 = System.nanoTime();
          BertInput in =
              BertInput.of(m, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
          ParameterStore ps = new ParameterStore(m, false);
          BertOutputs s = w.student().forward(ps, in, new Taps(true, true, false), true);
          NDArray labels = DistillationStep.labels(batch, m);
          long t1 = System.nanoTime();
          LossBreakdown l =
              w.objective().compute(ps, s, given, labels, Phase.JOINT, k, new StepTimer());
          l.totalValue();
          long t2 = System.nanoTime();
          gc.backward(l.total());
          long t3 = System.nanoTime();
          fwd[k] = (t1 - t0) / 1e9;
          loss[k] = (t2 - t1) / 1e9;
          bwd[k] = (t3 - t2) / 1e9;
        }
      } finally {
        for (TrainableParameter p : params) {
          if (p.array().hasGradient()) {
            Torch.zeroGrad(p.array());
          }
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("student forward", Stats.median(fwd));
    out.put("loss terms", Stats.median(loss));
    out.put("backward", Stats.median(bwd));
    return out;
  }
}
