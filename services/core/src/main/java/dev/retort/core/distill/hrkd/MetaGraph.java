package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * HRKD's domain-relational graph with the hierarchical compare-aggregate step ({@code
 * models/gnn.py}, {@code MetaGraph}): from the domain prototypes of every student layer it
 * computes, per layer, a softmax over domains that weights each domain's layer loss.
 *
 * <p>For layer l with prototypes {@code F_l} [D, H]:
 *
 * <pre>
 * l = 0:   X = F_0
 * l ≥ 1 (hierarchical):
 *   α1   = softmax_row(F_l U_l F_lᵀ)                      [D, D]
 *   R    = α1 F_l                                          [D, H]   reference prototypes
 *   Q_d  = [F_0[d]; …; F_l[d]]                             [l+1, H]
 *   β_d  = softmax(Q_d V_{l,d} R[d])                       [l+1]
 *   X[d] = β_dᵀ Q_d                                        [H]
 * r_l = softmax_D(GAT_l(X))                                [D]
 * </pre>
 *
 * Parameters: {@code gat.l} (one {@link GraphAttentionNetwork} per layer l = 0..M), {@code w_attn_1}
 * [M+1, H, H] and {@code w_attn_2} [M+1, D, H, H] (index 0 unused, as in the official code), all
 * Xavier-uniform with gain 1.414; the two attention tensors per layer slice ({@link
 * XavierUniform#perSlice}), with the fans of {@code w_attn_1[l]} [H, H] and {@code w_attn_2[l]} [D,
 * H, H]. Dropout stays on: the official graph is always in training mode.
 */
public final class MetaGraph extends HfModule {
  private final int numLayers;
  private final int numDomains;
  private final boolean hierarchical;
  private final ModuleList<GraphAttentionNetwork> gat;
  private final Parameter wAttn1;
  private final Parameter wAttn2;

  /**
   * Creates the graph.
   *
   * @param hidden prototype width H (the teacher's hidden size)
   * @param numLayers M + 1 (student layers plus the embedding layer)
   * @param numDomains D
   * @param heads GAT heads (8)
   * @param dropout GAT dropout (0.1)
   * @param slope LeakyReLU slope (0.2)
   * @param hierarchical whether to use the compare-aggregate step
   */
  public MetaGraph(int hidden, int numLayers, int numDomains, int heads, float dropout, float slope, boolean hierarchical) {
    this.numLayers = numLayers;
    this.numDomains = numDomains;
    this.hierarchical = hierarchical;
    List<GraphAttentionNetwork> nets = new ArrayList<>();
    for (int l = 0; l < numLayers; l++) {
      nets.add(new GraphAttentionNetwork(hidden, heads, dropout, slope));
    }
    gat = module("gat", new ModuleList<>(nets));
    // Xavier per layer slice, as the official init loops over w_attn_1[i] and w_attn_2[i].
    wAttn1 = parameter("w_attn_1", new Shape(numLayers, hidden, hidden), XavierUniform.perSlice(1.414));
    wAttn2 = parameter("w_attn_2", new Shape(numLayers, numDomains, hidden, hidden), XavierUniform.perSlice(1.414));
  }

  /** Returns M + 1. */
  public int numLayers() {
    return numLayers;
  }

  /** Returns D. */
  public int numDomains() {
    return numDomains;
  }

  /**
   * Computes the domain ratios of every layer.
   *
   * @param ps the parameter store of this pass
   * @param prototypes F, [M+1, D, H]
   * @param training whether dropout is active
   * @return the ratios [M+1, D] (each row sums to 1) and the hierarchical weights
   */
  public GraphOutput forward(ParameterStore ps, NDArray prototypes, boolean training) {
    NDList ratios = new NDList();
    List<NDArray> betas = new ArrayList<>();
    NDArray u = value(ps, wAttn1, training); // [M+1, H, H]
    NDArray v = value(ps, wAttn2, training); // [M+1, D, H, H]
    for (int l = 0; l < numLayers; l++) {
      NDArray fl = prototypes.get(new NDIndex(l)); // [D, H]
      NDArray x = fl;
      if (l > 0 && hierarchical) {
        NDArray s1 = fl.matMul(u.get(new NDIndex(l))).matMul(fl.transpose()); // [D, D]
        NDArray ref = s1.softmax(-1).matMul(fl); // [D, H]
        NDList rows = new NDList();
        NDList layerBetas = new NDList();
        for (int d = 0; d < numDomains; d++) {
          NDArray q = prototypes.get(new NDIndex(":" + (l + 1) + ", " + d + ", :")); // [l+1, H]
          NDArray vr = v.get(new NDIndex(l + ", " + d)).matMul(ref.get(new NDIndex(d)).reshape(-1, 1)); // [H, 1]
          NDArray beta = q.matMul(vr).reshape(-1).softmax(0); // [l+1]
          rows.add(beta.reshape(1, -1).matMul(q)); // [1, H]
          layerBetas.add(beta);
        }
        x = NDArrays.concat(rows, 0); // [D, H]
        betas.add(NDArrays.stack(layerBetas, 0)); // [D, l+1]
      }
      NDArray scores = gat.get(l).forward(ps, x, training).reshape(-1); // [D]
      ratios.add(scores.softmax(0));
    }
    return new GraphOutput(NDArrays.stack(ratios, 0), betas); // [M+1, D]
  }

  /**
   * What the graph returns.
   *
   * @param ratios [M+1, D], rows sum to 1
   * @param hierarchy per layer l ≥ 1, the compare-aggregate weights β, [D, l+1]
   */
  public record GraphOutput(NDArray ratios, List<NDArray> hierarchy) {}
}
