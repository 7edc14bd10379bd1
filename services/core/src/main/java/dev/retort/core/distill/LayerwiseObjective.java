package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.EmbeddingMse;
import dev.retort.core.distill.loss.HiddenStateMse;
import dev.retort.core.distill.loss.PairLoss;
import dev.retort.core.distill.loss.PatientLoss;
import dev.retort.core.engine.Scalars;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HfModule;
import dev.retort.core.train.StepTimer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-to-one layer distillation with a fixed {@link LayerMapping}: TinyBERT's uniform mapping,
 * PKD's skip and last mappings, or an explicit list.
 *
 * <pre>
 * L = emb · MSE(P(E_S), E_T)
 *   + hid · Σ_(s,t) MSE(P(H_S,s), H_T,t)       (or PKD's patient loss on [CLS], averaged over the pairs)
 *   + att · Σ_(s,t) maskedMSE(A_S,s, A_T,t)
 *   + pred · L_pred
 * </pre>
 *
 * With {@link Phase#INTERMEDIATE} only the first three lines count, with {@link Phase#PREDICTION}
 * only the last, as in TinyBERT's two-step task distillation.
 */
public final class LayerwiseObjective implements DistillationObjective {

  /** How matched hidden states are compared. */
  public enum HiddenLoss {
    /** Projected full-sequence MSE (TinyBERT). */
    MSE,
    /** Normalised [CLS] distance (PKD). */
    PATIENT
  }

  private final String name;
  private final LayerMapping mapping;
  private final HiddenProjection projection;
  private final TermWeights weights;
  private final HiddenLoss hiddenLoss;
  private final boolean useEmbedding;
  private final boolean useAttention;
  private final PredictionLoss prediction;
  private final EmbeddingMse embMse = new EmbeddingMse();
  private final PairLoss hidTerm;
  private final AttentionScoreMse attMse = new AttentionScoreMse();

  /**
   * Creates the objective.
   *
   * @param name the method name ({@code tinybert}, {@code pkd}, {@code layerwise})
   * @param mapping the layer pairs
   * @param projection the student-to-teacher width projection
   * @param weights term weights
   * @param hiddenLoss how hidden states are compared
   * @param useEmbedding whether the embedding term is included
   * @param useAttention whether attention terms are included
   * @param prediction the prediction loss
   */
  public LayerwiseObjective(
      String name,
      LayerMapping mapping,
      HiddenProjection projection,
      TermWeights weights,
      HiddenLoss hiddenLoss,
      boolean useEmbedding,
      boolean useAttention,
      PredictionLoss prediction) {
    this.name = name;
    this.mapping = mapping;
    this.projection = projection;
    this.weights = weights;
    this.hiddenLoss = hiddenLoss;
    this.useEmbedding = useEmbedding;
    this.useAttention = useAttention;
    this.prediction = prediction;
    this.hidTerm = hiddenLoss == HiddenLoss.PATIENT ? new PatientLoss() : new HiddenStateMse();
  }

  /** {@inheritDoc} */
  @Override
  public String name() {
    return name;
  }

  /** {@inheritDoc} */
  @Override
  public TeacherSelection teacherSelection() {
    return TeacherSelection.forMapping(mapping, useEmbedding, useAttention);
  }

  /** {@inheritDoc} */
  @Override
  public Map<String, HfModule> modules() {
    return projection.mode() == HiddenProjection.Mode.NONE ? Map.of() : Map.of("projection", projection);
  }

  /** {@inheritDoc} */
  @Override
  public LossBreakdown compute(
      ParameterStore ps, BertOutputs student, TeacherOutputs teacher, NDArray labels, Phase phase, long step, StepTimer timer) {
    Map<String, NDArray> terms = new LinkedHashMap<>();
    NDArray total = null;
    if (phase != Phase.PREDICTION) {
      if (useEmbedding) {
        NDArray e = embMse.compute(projection.forward(ps, 0, student.hiddenStates().get(0), true), teacher.hidden(0));
        terms.put(EmbeddingMse.NAME, e);
        total = add(total, e, weights.emb());
      }
      NDArray hid = null;
      NDArray att = null;
      for (LayerPair p : mapping.pairs()) {
        NDArray hs = projection.forward(ps, p.student(), student.hiddenStates().get(p.student()), true);
        hid = add(hid, hidTerm.compute(hs, teacher.hidden(p.teacher())), 1);
        if (useAttention) {
          att = add(att, attMse.compute(student.attentionScores().get(p.student() - 1), teacher.scores(p.teacher())), 1);
        }
      }
      if (hid != null && hiddenLoss == HiddenLoss.PATIENT) {
        hid = hid.div(mapping.pairs().size()); // PKD's code: one mean over [B, layers, H]
      }
      if (hid != null) {
        terms.put(hidTerm.getName(), hid);
        total = add(total, hid, weights.hid());
      }
      if (att != null) {
        terms.put(AttentionScoreMse.NAME, att);
        total = add(total, att, weights.att());
      }
    }
    if (phase != Phase.INTERMEDIATE) {
      LossBreakdown pred = prediction.compute(student.logits(), teacher.logits(), labels);
      terms.putAll(pred.terms());
      total = add(total, pred.total(), weights.pred());
    }
    return new LossBreakdown(total, terms);
  }

  private static NDArray add(NDArray acc, NDArray x, double w) {
    NDArray wx = w == 1 ? x : Scalars.mul(x, w);
    return acc == null ? wx : acc.add(wx);
  }
}
