package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.emd.EmdDistances;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.TransportBackend;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.EmbeddingMse;
import dev.retort.core.distill.loss.HiddenStateMse;
import dev.retort.core.distill.loss.TransportLoss;
import dev.retort.core.engine.Scalars;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HfModule;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.StepTimer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * BERT-EMD (Li et al., EMNLP 2020): many-to-many layer mapping by Earth Mover's Distance with
 * cost-attention layer weights, as the official {@code emd_task_distill.py} computes it.
 *
 * <pre>
 * L_att = Σ_ij F^A_ij · D^A_ij        L_hid = Σ_ij F^H_ij · D^H_ij     (F constant)
 * L_emb = MSE(P(H^S_0), H^T_0)
 * L     = β · (θ · (L_hid + L_att) + L_emb) + L_pred
 * </pre>
 *
 * <p>In the first stage of the two-stage schedule ({@link Phase#INTERMEDIATE}) the paper-era code
 * trains on {@code θ · (L_hid + L_att) + L_emb} alone, without β.
 *
 * <p>{@code distill.use-attention: false} drops {@code L_att}, as the official {@code use_att=False}
 * does: no attention distances, no attention transport problem, and the teacher sends no scores;
 * the attention layer weights then enter the cost-attention average unchanged ({@link
 * dev.retort.core.distill.emd.CostAttention#update}). {@code distill.use-embedding: false} drops
 * {@code L_emb} ({@code use_embedding=False}), and the teacher sends no embedding output. With both
 * off the official code has no loss at all (none of its four cases match and it fails); here the
 * loss is then {@code β · θ · L_hid + L_pred}.
 *
 * <p>F is the optimal flow of the balanced transportation problem between the student weights and
 * the teacher weights with the detached distances as costs, solved by a {@link TransportBackend}
 * (in-process or the loss service). After the step, the cost-attention update computed from this
 * step's F and D becomes the weights of the next step ({@link #afterStep}); the weights are part of
 * the checkpoint (the official code keeps them in globals and loses them on restart).
 */
public final class EmdObjective implements DistillationObjective {
  /** The method name in job files. */
  public static final String NAME = "bert-emd";

  private final HiddenProjection projection;
  private final TransportBackend backend;
  private final PredictionLoss prediction;
  private final double beta;
  private final double theta;
  private final int studentLayers;
  private final int teacherLayers;
  private final boolean useEmbedding;
  private final boolean useAttention;
  private final EmbeddingMse embMse = new EmbeddingMse();
  private final TransportLoss attTerm = TransportLoss.overRawScores(AttentionScoreMse.NAME);
  private final TransportLoss hidTerm = new TransportLoss(HiddenStateMse.NAME);
  private EmdLayerWeights current;
  private EmdLayerWeights pending;
  private EmdSolution lastSolution;

  /**
   * Creates the objective.
   *
   * @param projection the shared student-to-teacher projection
   * @param backend where the transport problems are solved
   * @param prediction the prediction loss
   * @param beta β
   * @param theta θ
   * @param studentLayers M
   * @param teacherLayers N
   */
  public EmdObjective(
      HiddenProjection projection, TransportBackend backend, PredictionLoss prediction,
      double beta, double theta, int studentLayers, int teacherLayers) {
    this(projection, backend, prediction, beta, theta, studentLayers, teacherLayers, true, true);
  }

  /**
   * Creates the objective with some of its layer terms switched off.
   *
   * @param projection the shared student-to-teacher projection
   * @param backend where the transport problems are solved
   * @param prediction the prediction loss
   * @param beta β
   * @param theta θ
   * @param studentLayers M
   * @param teacherLayers N
   * @param useEmbedding whether {@code L_emb} is included ({@code distill.use-embedding})
   * @param useAttention whether {@code L_att} is included ({@code distill.use-attention})
   */
  public EmdObjective(
      HiddenProjection projection, TransportBackend backend, PredictionLoss prediction,
      double beta, double theta, int studentLayers, int teacherLayers, boolean useEmbedding, boolean useAttention) {
    this.projection = projection;
    this.backend = backend;
    this.prediction = prediction;
    this.beta = beta;
    this.theta = theta;
    this.studentLayers = studentLayers;
    this.teacherLayers = teacherLayers;
    this.useEmbedding = useEmbedding;
    this.useAttention = useAttention;
    this.current = EmdLayerWeights.uniform(studentLayers, teacherLayers);
  }

  /** {@inheritDoc} */
  @Override
  public String name() {
    return NAME;
  }

  /** {@inheritDoc} */
  @Override
  public TeacherSelection teacherSelection() {
    return TeacherSelection.forEmd(teacherLayers, useEmbedding, useAttention);
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, HfModule> modules() {
    return projection.mode() == HiddenProjection.Mode.NONE ? Map.of() : Map.of("projection", projection);
  }

  /** Returns the layer weights the next step will use. */
  public EmdLayerWeights weights() {
    return current;
  }

  /** Returns the flows and weights of the last step, for metrics (null before the first step). */
  public EmdSolution lastSolution() {
    return lastSolution;
  }

  /** {@inheritDoc} */
  @Override
  public LossBreakdown compute(
      ParameterStore ps, BertOutputs student, TeacherOutputs teacher, NDArray labels, Phase phase, long step, StepTimer timer) {
    Map<String, NDArray> terms = new LinkedHashMap<>();
    NDArray total = null;
    if (phase != Phase.PREDICTION) {
      List<NDArray> sAtt = useAttention ? student.attentionScores() : null; // raw: the attention terms mask them
      List<NDArray> tAtt = useAttention ? new ArrayList<>() : null;
      List<NDArray> tHid = new ArrayList<>();
      for (int j = 1; j <= teacherLayers; j++) {
        if (useAttention) {
          tAtt.add(teacher.scores(j));
        }
        tHid.add(teacher.hidden(j));
      }
      List<NDArray> sHid = new ArrayList<>();
      for (int i = 1; i <= studentLayers; i++) {
        sHid.add(projection.forward(ps, i, student.hiddenStates().get(i), true));
      }
      // The transport problem needs only the distances' values: computed without a graph, the
      // scores masked as they are read. The loss then takes one gradient per student layer
      // (TransportLoss.computeOnSupport, on the host where it can).
      double[][] dAtt = useAttention ? EmdDistances.maskedScoreMseValues(sAtt, tAtt) : null; // [M, N]
      double[][] dHid = EmdDistances.pairwiseMseValues(sHid, tHid); // [M, N]
      long t0 = System.nanoTime();
      CompletableFuture<EmdSolution> solving = backend.solveAsync(step, current, dAtt, dHid);
      timer.add(StepTimer.LOSS_SERVICE, System.nanoTime() - t0);
      // While a remote solve is in flight: the terms that do not need the flows.
      NDArray lEmb =
          useEmbedding
              ? embMse.compute(projection.forward(ps, 0, student.hiddenStates().get(0), true), teacher.hidden(0))
              : null;
      LossBreakdown pred = phase != Phase.INTERMEDIATE ? prediction(student, teacher, labels) : null;
      long t1 = System.nanoTime();
      EmdSolution sol = TransportBackend.await(solving); // only the wait that was not overlapped
      timer.add(StepTimer.LOSS_SERVICE, System.nanoTime() - t1);
      NDArray lAtt = useAttention ? attTerm.computeOnSupport(sAtt, tAtt, sol.attention().flow(), dAtt) : null;
      NDArray lHid = hidTerm.computeOnSupport(sHid, tHid, sol.hidden().flow(), dHid);
      if (lEmb != null) {
        terms.put(EmbeddingMse.NAME, lEmb);
      }
      terms.put(HiddenStateMse.NAME, lHid);
      if (lAtt != null) {
        terms.put(AttentionScoreMse.NAME, lAtt);
      }
      // The two-stage code's intermediate stage sums the terms unscaled; joint training scales by β.
      double scale = phase == Phase.INTERMEDIATE ? 1.0 : beta;
      NDArray layers = Scalars.mul(lAtt == null ? lHid : lHid.add(lAtt), theta);
      total = Scalars.mul(lEmb == null ? layers : layers.add(lEmb), scale);
      pending = sol.next();
      lastSolution = sol;
      if (pred != null) {
        terms.putAll(pred.terms());
        total = total.add(pred.total());
      }
      return new LossBreakdown(total, terms);
    }
    LossBreakdown pred = prediction(student, teacher, labels);
    terms.putAll(pred.terms());
    return new LossBreakdown(pred.total(), terms);
  }

  private LossBreakdown prediction(BertOutputs student, TeacherOutputs teacher, NDArray labels) {
    return prediction.compute(student.logits(), teacher.logits(), labels);
  }

  /** {@inheritDoc} */
  @Override
  public void afterStep(long step) {
    if (pending != null) {
      current = pending;
      pending = null;
    }
  }

  /** {@inheritDoc} */
  @Override
  public StateDict state() {
    StateDict sd = new StateDict(NAME);
    current.toMap().forEach((k, v) -> sd.put("layer_weights." + k, doubles(v)));
    return sd;
  }

  /** {@inheritDoc} */
  @Override
  public void loadState(StateDict state) {
    Map<String, double[]> m = new LinkedHashMap<>();
    state.asMap().forEach((k, v) -> {
      if (k.startsWith("layer_weights.")) {
        long[] bits = v.toLongs();
        double[] d = new double[bits.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = Double.longBitsToDouble(bits[i]);
        }
        m.put(k.substring("layer_weights.".length()), d);
      }
    });
    if (!m.isEmpty()) {
      current = EmdLayerWeights.fromMap(m);
    }
  }

  /** Stores doubles bit-exactly as int64 (safetensors has no float64 in our reader's F32 path). */
  private static HostTensor doubles(double[] v) {
    long[] bits = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = Double.doubleToRawLongBits(v[i]);
    }
    return HostTensor.ofLongs(new long[] {v.length}, bits);
  }
}
