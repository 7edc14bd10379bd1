package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.LayerMapping;
import dev.retort.core.distill.LayerPair;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.Phase;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.distill.loss.EmbeddingMse;
import dev.retort.core.distill.loss.HiddenStateMse;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Dense;
import dev.retort.core.model.HfModule;
import dev.retort.core.train.StepTimer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * EfficientBERT's task-agnostic pre-training distillation (reference {@code pretrain.py}, {@code
 * calc_distil_losses}), used for the supernet warm-up, per-candidate warm-up and the final models'
 * pre-training. No logits, no MLM loss.
 *
 * <pre>
 * k      = N / M                                   (teacher layer of student layer l is k·l)
 * L_attn = Σ_l maskedMSE(A^S_l, A^T_(k·l))          mask: scores ≤ −100 count as 0
 * L_ffn  = MSE(P(E^S), E^T) + Σ_l MSE(P(H^S_l), H^T_(k·l))     P = the student's shared fit_dense
 * L      = L_attn + L_ffn
 * </pre>
 *
 * <p>The terms are reported as {@code att} (L_attn), {@code emb} (the embedding part of L_ffn) and
 * {@code hid} (the layer part of L_ffn). The projection {@code P} is the student's own {@code
 * fit_dense} (part of {@link EfficientBertModel}), so {@link #modules()} is empty.
 */
public final class PretrainingKdObjective implements DistillationObjective {
  /** The method name in job files. */
  public static final String NAME = "efficientbert-pretrain";

  private final Dense fitDense;
  private final LayerMapping mapping;
  private final AttentionScoreMse attMse = new AttentionScoreMse();
  private final EmbeddingMse embMse = new EmbeddingMse();
  private final HiddenStateMse hidMse = new HiddenStateMse();

  /**
   * Creates the objective.
   *
   * @param fitDense the student's shared projection P, H_S to H_T
   * @param studentLayers M
   * @param teacherLayers N, a multiple of M
   */
  public PretrainingKdObjective(Dense fitDense, int studentLayers, int teacherLayers) {
    this.fitDense = fitDense;
    this.mapping = LayerMapping.uniform(studentLayers, teacherLayers);
  }

  /**
   * Creates the objective for a student model.
   *
   * @param student the EfficientBERT student (or supernet model); its {@code fit_dense} is P
   * @param teacherLayers N (12 for BERT-base)
   * @return the objective
   */
  public static PretrainingKdObjective forStudent(EfficientBertModel student, int teacherLayers) {
    return new PretrainingKdObjective(
        student.fitDense(), student.arch().numLayers(), teacherLayers);
  }

  /** Returns the student-to-teacher layer pairs. */
  public LayerMapping mapping() {
    return mapping;
  }

  /** {@inheritDoc} */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns the teacher's embedding output and mapped layers' hidden states and scores. */
  @Override
  public TeacherSelection teacherSelection() {
    TreeSet<Integer> hidden = new TreeSet<>();
    TreeSet<Integer> scores = new TreeSet<>();
    hidden.add(0);
    for (LayerPair p : mapping.pairs()) {
      hidden.add(p.teacher());
      scores.add(p.teacher());
    }
    return new TeacherSelection(hidden, scores, false);
  }

  /** Returns no modules: the projection belongs to the student. */
  @Override
  public Map<String, HfModule> modules() {
    return Map.of();
  }

  /**
   * Computes L; {@code labels} and {@code phase} are ignored (pre-training has one phase).
   *
   * <p>{@inheritDoc}
   */
  @Override
  public LossBreakdown compute(
      ParameterStore ps,
      BertOutputs student,
      TeacherOutputs teacher,
      NDArray labels,
      Phase phase,
      long step,
      StepTimer timer) {
    return compute(ps, student, teacher, true);
  }

  /**
   * Computes L from a teacher forward pass run with {@link
   * dev.retort.core.model.Taps#DISTILLATION}.
   *
   * @param ps the parameter store of this pass
   * @param student the student's outputs with hidden states and scores
   * @param teacher the teacher's outputs with hidden states and scores
   * @param training whether this is a training pass
   * @return the total and the terms {@code att}, {@code emb}, {@code hid}
   */
  public LossBreakdown compute(
      ParameterStore ps, BertOutputs student, BertOutputs teacher, boolean training) {
    int n = teacher.numLayers();
    if (teacher.hiddenStates().size() != n + 1 || teacher.attentionScores().size() != n) {
      throw new IllegalArgumentException(
          "the teacher outputs need hidden states and attention scores (Taps.DISTILLATION)");
    }
    Map<Integer, NDArray> hidden = new HashMap<>();
    Map<Integer, NDArray> scores = new HashMap<>();
    TeacherSelection sel = teacherSelection();
    sel.hiddenLayers().forEach(i -> hidden.put(i, teacher.hiddenStates().get(i)));
    sel.scoreLayers().forEach(l -> scores.put(l, teacher.attentionScores().get(l - 1)));
    return compute(ps, student, new TeacherOutputs(hidden, scores, null), training);
  }

  /**
   * Computes L from the selected teacher outputs.
   *
   * @param ps the parameter store of this pass
   * @param student the student's outputs with hidden states and scores
   * @param teacher the teacher's selected outputs ({@link #teacherSelection()})
   * @param training whether this is a training pass
   * @return the total and the terms {@code att}, {@code emb}, {@code hid}
   */
  public LossBreakdown compute(
      ParameterStore ps, BertOutputs student, TeacherOutputs teacher, boolean training) {
    int m = mapping.pairs().size();
    if (student.hiddenStates().size() != m + 1 || student.attentionScores().size() != m) {
      throw new IllegalArgumentException(
          "the student outputs need "
              + (m + 1)
              + " hidden states and "
              + m
              + " attention scores (Taps.DISTILLATION); got "
              + student.hiddenStates().size()
              + " and "
              + student.attentionScores().size());
    }
    NDArray emb =
        embMse.compute(project(ps, student.hiddenStates().get(0), training), teacher.hidden(0));
    NDArray att = null;
    NDArray hid = null;
    for (LayerPair p : mapping.pairs()) {
      NDArray a =
          attMse.compute(
              student.attentionScores().get(p.student() - 1), teacher.scores(p.teacher()));
      NDArray h =
          hidMse.compute(
              project(ps, student.hiddenStates().get(p.student()), training),
              teacher.hidden(p.teacher()));
      att = att == null ? a : att.add(a);
      hid = hid == null ? h : hid.add(h);
    }
    Map<String, NDArray> terms = new LinkedHashMap<>();
    terms.put(AttentionScoreMse.NAME, att);
    terms.put(EmbeddingMse.NAME, emb);
    terms.put(HiddenStateMse.NAME, hid);
    return new LossBreakdown(att.add(emb).add(hid), terms);
  }

  private NDArray project(ParameterStore ps, NDArray hidden, boolean training) {
    return fitDense.forward(ps, hidden, training); // [B, L, H_T]
  }
}
