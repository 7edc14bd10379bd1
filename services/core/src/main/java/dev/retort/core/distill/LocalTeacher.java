package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepTimer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the teacher in this process for every batch, without gradients, and keeps only the selected
 * outputs.
 *
 * <p>The teacher runs with dropout off (HRKD and EfficientBERT call {@code eval()}), unless {@code
 * dropout} is set: the BERT-EMD code never puts its teacher in eval mode.
 */
public final class LocalTeacher implements TeacherSource {
  private final BertForSequenceClassification teacher;
  private final TeacherSelection selection;
  private final boolean dropout;

  /**
   * Creates the source.
   *
   * @param teacher the teacher (its parameters are frozen by this constructor)
   * @param selection what to keep
   * @param dropout whether the teacher's dropout stays on
   */
  public LocalTeacher(BertForSequenceClassification teacher, TeacherSelection selection, boolean dropout) {
    this.teacher = teacher;
    this.selection = selection;
    this.dropout = dropout;
    teacher.namedParameters().values().forEach(p -> p.freeze(true));
  }

  /** {@inheritDoc} */
  @Override
  public TeacherOutputs outputs(Batch batch, NDManager manager, StepTimer timer) {
    long t0 = System.nanoTime();
    boolean grad = Torch.gradModeOnThisThread();
    Torch.noGradOnThisThread();
    try {
      BertInput in = BertInput.of(manager, batch.inputIds(), batch.segmentIds(), batch.attentionMask());
      int domain = batch.domainIds().length > 0 && teacher.head().multiDomain() ? batch.domainIds()[0] : 0;
      BertOutputs out = forward(in, manager, domain);
      return select(out);
    } finally {
      Torch.setGradMode(grad); // back to recording if the caller's collector was

      timer.add(StepTimer.TEACHER, System.nanoTime() - t0);
    }
  }

  /**
   * Runs the teacher on one batch and keeps the selected outputs.
   *
   * @param in the batch
   * @param manager where outputs are allocated
   * @param domain the head to use
   * @return all outputs
   */
  public BertOutputs forward(BertInput in, NDManager manager, int domain) {
    Taps taps = new Taps(!selection.hiddenLayers().isEmpty(), !selection.scoreLayers().isEmpty(), false);
    return teacher.forward(new ParameterStore(manager, false), in, taps, dropout, domain);
  }

  /** Keeps the selected hidden states and scores of a full forward pass. */
  public TeacherOutputs select(BertOutputs out) {
    Map<Integer, NDArray> hidden = new HashMap<>();
    for (int i : selection.hiddenLayers()) {
      hidden.put(i, out.hiddenStates().get(i));
    }
    Map<Integer, NDArray> scores = new HashMap<>();
    for (int l : selection.scoreLayers()) {
      scores.put(l, out.attentionScores().get(l - 1));
    }
    return new TeacherOutputs(hidden, scores, selection.logits() ? out.logits() : null);
  }
}
