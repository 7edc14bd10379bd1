package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.model.HfModule;
import java.util.ArrayList;
import java.util.List;

/**
 * pyGAT's {@code GAT} as HRKD builds it per student layer: K heads of width H, concatenated, then
 * an output head of width 1.
 *
 * <pre>
 * X  = dropout(X)
 * Hc = dropout(concat_k ELU(head_k(X)))     [D, K·H]
 * o  = ELU(out_att(Hc))                       [D, 1]
 * </pre>
 *
 * Children are named {@code attention_0 .. attention_{K-1}} and {@code out_att}, as in pyGAT.
 */
public final class GraphAttentionNetwork extends HfModule {
  private final float dropout;
  private final List<GraphAttentionLayer> heads = new ArrayList<>();
  private final GraphAttentionLayer outAtt;

  /**
   * Creates the network.
   *
   * @param hidden node width H
   * @param numHeads K
   * @param dropout dropout on features and attention
   * @param slope LeakyReLU slope
   */
  public GraphAttentionNetwork(int hidden, int numHeads, float dropout, float slope) {
    this.dropout = dropout;
    for (int k = 0; k < numHeads; k++) {
      heads.add(module("attention_" + k, new GraphAttentionLayer(hidden, hidden, dropout, slope, true)));
    }
    outAtt = module("out_att", new GraphAttentionLayer(hidden * numHeads, 1, dropout, slope, false));
  }

  /**
   * Scores every node.
   *
   * @param ps the parameter store of this pass
   * @param x node features, [D, H]
   * @param training whether dropout is active (HRKD keeps it on)
   * @return one score per node, [D, 1]
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray h = HostDropout.apply(x, dropout, training); // [D, H]
    NDList outs = new NDList();
    for (GraphAttentionLayer head : heads) {
      outs.add(head.forward(ps, h, training)); // [D, H]
    }
    NDArray cat = NDArrays.concat(outs, 1); // [D, K H]
    cat = HostDropout.apply(cat, dropout, training);
    return Activation.elu(outAtt.forward(ps, cat, training), 1f); // [D, 1]
  }
}
