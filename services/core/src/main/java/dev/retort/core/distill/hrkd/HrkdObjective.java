package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.EmbeddingMse;
import dev.retort.core.distill.loss.HiddenStateMse;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Scalars;
import dev.retort.core.model.StateDicts;
import dev.retort.core.train.StepTimer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HRKD's student loss over a step holding one sub-batch of every domain ({@code
 * finetune_multi_domain.py:533-641}):
 *
 * <pre>
 * P[l][d]  = mean_{b,t} Ĥ_{d,l}                                          prototypes, kept differentiable
 * ℓ[0][d]  = MSE(Ĥ_{d,0}, H^T_{d,0})
 * ℓ[l][d]  = maskedMSE(A^S_{d,l}, A^T_{d,k·l}) + MSE(Ĥ_{d,l}, H^T_{d,k·l})   l = 1..M
 * r        = MetaGraph(P)                                                    [M+1, D]
 * L        = hidden_ratio · Σ_{l,d} r[l][d]·ℓ[l][d] + pred_ratio · (1/D) Σ_d SCE_T(z^S_d, z^T_d)
 * </pre>
 *
 * <p>The graph is evaluated by a {@link GraphBackend} on detached prototypes; it returns r and g =
 * ∂(Σ r·ℓ)/∂P. The loss back-propagated here is {@code hidden_ratio·(Σ r·ℓ + Σ P·g − stop(Σ P·g)) +
 * pred}, with r and g constants (the last two terms cancel in value), whose gradient with respect to the student equals the gradient of L: the ratio
 * path reaches the student through P even when the graph itself is frozen.
 *
 * <p>Without the graph (the ablation "multi-domain KD") every ratio is 1 and the prediction term
 * loses its 1/D: {@code L = Σ_d (hidden_ratio · Σ_l ℓ[l][d] + pred_ratio · SCE_T(z^S_d, z^T_d))}.
 */
public final class HrkdObjective {
  private final GraphBackend graph;
  private final double hiddenRatio;
  private final double predRatio;
  private final int stride;
  private final SoftCrossEntropy soft;
  private final AttentionScoreMse attMse = new AttentionScoreMse();
  private final HiddenStateMse hidMse = new HiddenStateMse();
  private final EmbeddingMse embMse = new EmbeddingMse();
  private float[] lastRatios;

  /**
   * Creates the loss.
   *
   * @param graph the graph backend, or null for the multi-domain KD ablation
   * @param hiddenRatio weight of the layer terms
   * @param predRatio weight of the prediction term
   * @param stride k = N / M: student layer l learns from teacher layer k·l
   * @param soft the soft cross-entropy (HRKD: T = 1, no T²)
   */
  public HrkdObjective(GraphBackend graph, double hiddenRatio, double predRatio, int stride, SoftCrossEntropy soft) {
    this.graph = graph;
    this.hiddenRatio = hiddenRatio;
    this.predRatio = predRatio;
    this.stride = stride;
    this.soft = soft;
  }

  /** Returns the ratios of the last step, [M+1][D] flattened, or null. */
  public float[] lastRatios() {
    return lastRatios;
  }

  /**
   * Computes the loss of one step.
   *
   * @param domains one pass per domain, in domain order
   * @param manager the step's manager
   * @param step the optimiser step (seeds the graph's dropout)
   * @param snapshot whether a checkpoint follows this step (trained graphs snapshot their state)
   * @param timer records the graph's time under {@link StepTimer#LOSS_SERVICE}
   * @return the total and its terms
   */
  public LossBreakdown compute(List<DomainPass> domains, NDManager manager, long step, boolean snapshot, StepTimer timer) {
    int d = domains.size();
    int layers = domains.get(0).projected().size(); // M + 1
    NDList protoRows = new NDList();
    NDList lossRows = new NDList();
    NDArray pred = null;
    NDArray emb = null;
    NDArray hid = null;
    NDArray att = null;
    for (int l = 0; l < layers; l++) {
      NDList protos = new NDList();
      NDList losses = new NDList();
      for (DomainPass p : domains) {
        NDArray h = p.projected().get(l); // [b, L, H_T]
        protos.add(h.reshape(-1, h.getShape().get(2)).mean(new int[] {0})); // [H_T]
        NDArray ell;
        if (l == 0) {
          ell = embMse.compute(h, p.teacher().hidden(0));
          emb = emb == null ? ell : emb.add(ell);
        } else {
          int t = stride * l;
          NDArray a = attMse.compute(p.student().attentionScores().get(l - 1), p.teacher().scores(t));
          NDArray hh = hidMse.compute(h, p.teacher().hidden(t));
          att = att == null ? a : att.add(a);
          hid = hid == null ? hh : hid.add(hh);
          ell = a.add(hh);
        }
        losses.add(ell);
      }
      protoRows.add(NDArrays.stack(protos)); // [D, H_T]
      lossRows.add(NDArrays.stack(losses)); // [D]
    }
    for (DomainPass p : domains) {
      NDArray s = soft.compute(p.student().logits(), p.teacher().requireLogits());
      pred = pred == null ? s : pred.add(s);
    }
    NDArray prototypes = NDArrays.stack(protoRows); // [M+1, D, H_T]
    NDArray ell = NDArrays.stack(lossRows); // [M+1, D]
    NDArray layerTerm;
    NDArray predTerm;
    if (graph == null) {
      // finetune_multi_domain.py:628 weighs the ablation's terms too, only without the graph's 1/D.
      layerTerm = Scalars.mul(ell.sum(), hiddenRatio);
      predTerm = Scalars.mul(pred, predRatio);
      lastRatios = null;
    } else {
      long t0 = System.nanoTime();
      GraphResult g = graph.evaluate(step, StateDicts.toHost(prototypes.stopGradient()), StateDicts.toHost(ell.stopGradient()), snapshot);
      timer.add(StepTimer.LOSS_SERVICE, System.nanoTime() - t0);
      NDArray r = StateDicts.toNd(manager, g.ratios()); // [M+1, D]
      NDArray grad = StateDicts.toNd(manager, g.prototypeGrad()); // [M+1, D, H_T]
      // Σ P·g − stop(Σ P·g) is 0 in value but has gradient g: the loss reports L itself.
      NDArray vjp = prototypes.mul(grad).sum();
      layerTerm = Scalars.mul(r.mul(ell).sum().add(vjp.sub(vjp.stopGradient())), hiddenRatio);
      predTerm = Scalars.mul(pred, predRatio / d);
      lastRatios = g.ratios().toFloats();
    }
    Map<String, NDArray> terms = new LinkedHashMap<>();
    terms.put(EmbeddingMse.NAME, Scalars.div(emb, d));
    terms.put(HiddenStateMse.NAME, Scalars.div(hid, d));
    terms.put(AttentionScoreMse.NAME, Scalars.div(att, d));
    terms.put(SoftCrossEntropy.NAME, Scalars.div(pred, d));
    return new LossBreakdown(layerTerm.add(predTerm), terms);
  }
}
