package dev.retort.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.Dense;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * The learned map {@code P} from the student's hidden width to the teacher's, applied before
 * hidden-state losses.
 *
 * <ul>
 *   <li>{@link Mode#SHARED}: one {@code fit_dense} for the embedding output and every layer
 *       (TinyBERT, BERT-EMD's {@code share_fit_dense}, EfficientBERT).
 *   <li>{@link Mode#PER_LAYER}: {@code fit_denses.l} for l = 0..numLayers (HRKD's {@code
 *       MetaTinyBert}).
 *   <li>{@link Mode#NONE}: identity; only when the widths are equal.
 * </ul>
 *
 * Projections are freshly initialised (the TinyBERT checkpoint's {@code fit_dense} is not loaded
 * by the reference code either) and trained with the student; they are not part of the exported
 * student.
 */
public final class HiddenProjection extends HfModule {

  /** How many projections there are. */
  public enum Mode {
    /** One projection for all layers. */
    SHARED,
    /** One projection per hidden state, embeddings included. */
    PER_LAYER,
    /** No projection (equal widths). */
    NONE
  }

  private final Mode mode;
  private final List<Dense> denses = new ArrayList<>();

  /**
   * Creates the projections.
   *
   * @param mode how many
   * @param studentWidth H_S
   * @param teacherWidth H_T
   * @param numStudentLayers M (PER_LAYER creates M + 1 projections)
   * @param std standard deviation of the initial weights
   */
  public HiddenProjection(Mode mode, int studentWidth, int teacherWidth, int numStudentLayers, float std) {
    this.mode = mode;
    switch (mode) {
      case SHARED -> denses.add(module("fit_dense", new Dense(studentWidth, teacherWidth, std)));
      case PER_LAYER -> {
        List<Dense> list = new ArrayList<>();
        for (int l = 0; l <= numStudentLayers; l++) {
          list.add(new Dense(studentWidth, teacherWidth, std));
        }
        denses.addAll(module("fit_denses", new ModuleList<>(list)).items());
      }
      case NONE -> {
        if (studentWidth != teacherWidth) {
          throw new IllegalArgumentException(
              "a student of width " + studentWidth + " needs a projection to the teacher's " + teacherWidth);
        }
      }
    }
  }

  /** Returns the mode. */
  public Mode mode() {
    return mode;
  }

  /**
   * Projects one hidden state.
   *
   * @param ps the parameter store of this pass
   * @param layer the student hidden-state index (0 = embeddings), used by PER_LAYER
   * @param hidden the student hidden state, [B, L, H_S]
   * @param training whether this is a training pass
   * @return {@code P(hidden)}, [B, L, H_T]
   */
  public NDArray forward(ParameterStore ps, int layer, NDArray hidden, boolean training) {
    return switch (mode) {
      case SHARED -> denses.get(0).forward(ps, hidden, training);
      case PER_LAYER -> denses.get(layer).forward(ps, hidden, training);
      case NONE -> hidden;
    };
  }
}
