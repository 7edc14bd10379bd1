package dev.retort.core.distill.emd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.retort.core.distill.loss.AttentionScoreMse;
import dev.retort.core.engine.Torch;
import java.util.ArrayList;
import java.util.List;

/**
 * The M×N distance matrices of BERT-EMD, built differentiably (official {@code emd_att_loss} and
 * {@code emd_rep_loss}):
 *
 * <pre>
 * D^A_ij = mean((mask(A^S_i) − mask(A^T_j))²)      i = 1..M, j = 1..N
 * D^H_ij = mean((P(H^S_i) − H^T_j)²)              hidden state 0 (embeddings) excluded
 * </pre>
 *
 * Each student and teacher tensor is masked or projected once and reused across the N or M pairs.
 */
public final class EmdDistances {
  private EmdDistances() {}

  /**
   * Builds a distance matrix.
   *
   * @param student M tensors (already masked or projected)
   * @param teacher N tensors of the same shape
   * @return D, [M, N], differentiable with respect to the student tensors
   */
  public static NDArray pairwiseMse(List<NDArray> student, List<NDArray> teacher) {
    NDList rows = new NDList();
    for (NDArray s : student) {
      NDList row = new NDList();
      for (NDArray t : teacher) {
        row.add(s.sub(t).square().mean());
      }
      rows.add(NDArrays.stack(row)); // [N]
    }
    return NDArrays.stack(rows); // [M, N]
  }

  /**
   * Computes the distance matrix's values without recording a graph: the transport problem only
   * needs the numbers.
   *
   * <p>CPU float32 tensors are read once each, on the host ({@link HostPairwiseMse}; the values
   * agree with the engine's float32 means to their rounding, about 1e-7 relative). Other tensors
   * take engine ops, pair by pair: one difference tensor, squared in place and freed at once, so
   * no M·N activations are kept; those values are {@link #pairwiseMse}'s bit for bit.
   *
   * <p>The Gram identity {@code (‖S‖² + ‖T‖² − 2·S·T) / K} was measured as an alternative: in
   * float32 it cancels digits when D is small against ‖S‖²/K, and the float64 copies it then needs
   * cost more than the M·N element-wise passes they replace.
   *
   * @param student M tensors (already masked or projected)
   * @param teacher N tensors of the same shape
   * @return D, M rows of N values
   */
  public static double[][] pairwiseMseValues(List<NDArray> student, List<NDArray> teacher) {
    double[][] host = HostPairwiseMse.compute(student, teacher);
    return host != null ? host : pairwiseMseValuesWithEngineOps(student, teacher);
  }

  /**
   * Computes BERT-EMD's attention distances, {@code mean((mask(A^S_i) − mask(A^T_j))²)}, from the
   * raw scores without recording a graph. On the host the mask is applied to each stripe as it is
   * read ({@link HostPairwiseMse#computeMasked}), so the masked tensors are never written. Tensors
   * without a host view are masked by {@link AttentionScoreMse} and take the engine ops, pair by
   * pair.
   *
   * @param student M raw student score tensors
   * @param teacher N raw teacher score tensors of the same shape
   * @return D^A, M rows of N values
   */
  public static double[][] maskedScoreMseValues(List<NDArray> student, List<NDArray> teacher) {
    double[][] host = HostPairwiseMse.computeMasked(student, teacher);
    if (host != null) {
      return host;
    }
    List<NDArray> s = new ArrayList<>();
    List<NDArray> t = new ArrayList<>();
    Torch.withoutGrad(
        () -> {
          s.addAll(masked(student));
          teacher.forEach(x -> t.add(AttentionScoreMse.maskedConstant(x)));
        });
    return pairwiseMseValuesWithEngineOps(s, t);
  }

  /**
   * {@link #pairwiseMseValues} with engine ops, pair by pair; its values are {@link
   * #pairwiseMse}'s bit for bit.
   *
   * @param student M tensors
   * @param teacher N tensors of the same shape
   * @return D, M rows of N values
   */
  static double[][] pairwiseMseValuesWithEngineOps(List<NDArray> student, List<NDArray> teacher) {
    int m = student.size();
    int n = teacher.size();
    double[][] out = new double[m][n];
    Torch.withoutGrad(
        () -> {
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              try (NDArray diff = student.get(i).sub(teacher.get(j))) {
                diff.muli(diff);
                try (NDArray mean = diff.mean()) {
                  out[i][j] = mean.toType(DataType.FLOAT32, false).getFloat();
                }
              }
            }
          }
        });
    return out;
  }

  /** Applies the ≤ −100 mask to every tensor of a list. */
  public static List<NDArray> masked(List<NDArray> scores) {
    return scores.stream().map(AttentionScoreMse::masked).toList();
  }

  /** Copies a detached [M, N] matrix into Java doubles. */
  public static double[][] toDoubles(NDArray d) {
    long m = d.getShape().get(0);
    long n = d.getShape().get(1);
    float[] flat = d.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
    double[][] out = new double[(int) m][(int) n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = flat[(int) (i * n + j)];
      }
    }
    return out;
  }
}
