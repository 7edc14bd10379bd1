package dev.retort.teacher.inference;

import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.LocalTeacher;
import dev.retort.core.distill.PaddingKeys;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a teacher on one batch without gradients and keeps only the selected outputs, exactly as
 * the in-process trainer's {@link LocalTeacher} does: dropout off, unless the request asks for it
 * (BERT-EMD's {@code teacher.dropout}: its official code never puts the teacher in eval mode).
 * With dropout on, each distinct batch of a pass gets one draw of the masks, from the engine's
 * generator; the pass keeps it, so every job and every later epoch that meets the same batch reads
 * the same outputs.
 *
 * <p>Before the engine sees the batch, it is checked against the model: token ids below V, segment
 * ids below the type vocabulary, a 0/1 mask, a length within the position embeddings, selected
 * layers that exist, and a head for the domain. A request that fails a check is the sender's
 * error ({@link BadMessageException}).
 */
public final class TeacherInference {
  private TeacherInference() {}

  /**
   * Computes the selected outputs.
   *
   * @param teacher the teacher
   * @param input the padded batch
   * @param selection what to keep
   * @param domain the head to use
   * @param dropout whether the teacher's dropout is on
   * @param wireType the type hidden states and scores travel in: F32, or F16 / BF16 rounded to
   *     nearest even while they are copied out of the engine (the codec then only copies bytes)
   * @return hidden states and scores in {@code wireType}, logits in F32, copied out of the engine
   * @throws BadMessageException if the batch or selection does not fit the teacher
   */
  public static ComputedOutput run(CachedTeacher teacher, BatchInput input,
      TeacherSelection selection, int domain, boolean dropout, DType wireType) {
    return run(teacher, input, selection, domain, dropout, wireType, false);
  }

  /**
   * Computes the selected outputs, with the scores trimmed to the batch's last real key when
   * asked ({@link PaddingKeys}).
   *
   * @param teacher the teacher
   * @param input the padded batch
   * @param selection what to keep
   * @param domain the head to use
   * @param dropout whether the teacher's dropout is on
   * @param wireType as in {@link #run(CachedTeacher, BatchInput, TeacherSelection, int, boolean,
   *     DType)}
   * @param trimPaddingKeys whether scores keep only the key columns up to the last real position
   * @return the outputs; {@link ComputedOutput#keyLength()} says how many key columns the scores
   *     have when trimmed
   * @throws BadMessageException if the batch or selection does not fit the teacher
   */
  public static ComputedOutput run(CachedTeacher teacher, BatchInput input,
      TeacherSelection selection, int domain, boolean dropout, DType wireType,
      boolean trimPaddingKeys) {
    check(teacher, input, selection, domain);
    int keys = trimPaddingKeys ? PaddingKeys.keyLength(input.mask()) : input.length();
    // Autograd is on by default on every new thread; the channel's worker threads are new.
    Torch.noGradOnThisThread();
    long t0 = System.nanoTime();
    try (NDManager step = teacher.manager().newSubManager()) {
      BertInput in = BertInput.of(step, input.ids(), input.types(), input.mask()); // [B, L] each
      LocalTeacher local = new LocalTeacher(teacher.model().model(), selection, dropout);
      TeacherOutputs out = local.select(local.forward(in, step, domain));
      List<HostTensor> hidden = new ArrayList<>();
      for (int i : selection.hiddenLayers()) {
        hidden.add(StateDicts.toHost(out.hidden(i), wireType)); // [B, L, H]
      }
      List<HostTensor> scores = new ArrayList<>();
      for (int l : selection.scoreLayers()) {
        scores.add(StateDicts.toHost(PaddingKeys.trim(out.scores(l), keys), wireType)); // [B, A, L, K]
      }
      HostTensor logits =
          selection.logits() ? StateDicts.toHost(out.requireLogits(), DType.F32) : null; // [B, C]
      return new ComputedOutput(hidden, scores, logits, (System.nanoTime() - t0) / 1e6,
          trimPaddingKeys ? keys : 0);
    }
  }

  /**
   * Checks a batch and selection against a teacher.
   *
   * @throws BadMessageException naming the first problem
   */
  static void check(CachedTeacher teacher, BatchInput input, TeacherSelection selection,
      int domain) {
    BertConfig c = teacher.model().config();
    if (input.length() > c.maxPositions()) {
      throw new BadMessageException("input_ids", "length " + input.length()
          + " exceeds the teacher's " + c.maxPositions() + " position embeddings");
    }
    range("input_ids", input.ids(), 0, c.vocabSize() - 1);
    range("token_type_ids", input.types(), 0, c.typeVocabSize() - 1);
    range("attention_mask", input.mask(), 0, 1);
    for (int i : selection.hiddenLayers()) {
      if (i < 0 || i > c.numLayers()) {
        throw new BadMessageException("selection.hidden_layers", "hidden state " + i
            + " does not exist: the teacher has 0..." + c.numLayers());
      }
    }
    for (int l : selection.scoreLayers()) {
      if (l < 1 || l > c.numLayers()) {
        throw new BadMessageException("selection.score_layers", "layer " + l
            + " does not exist: the teacher has layers 1..." + c.numLayers());
      }
    }
    int heads = teacher.model().head().domains().size();
    if (domain >= heads) {
      throw new BadMessageException("domain", "domain " + domain + " has no head: the teacher "
          + "has " + heads + " (" + teacher.model().head().domains() + ")");
    }
  }

  private static void range(String name, int[][] rows, int min, int max) {
    for (int b = 0; b < rows.length; b++) {
      for (int t = 0; t < rows[b].length; t++) {
        int v = rows[b][t];
        if (v < min || v > max) {
          throw new BadMessageException(name, "value " + v + " at [" + b + ", " + t
              + "] is outside [" + min + ", " + max + "]");
        }
      }
    }
  }
}
