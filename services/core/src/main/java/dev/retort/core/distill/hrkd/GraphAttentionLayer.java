package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.model.HfModule;

/**
 * One graph-attention head over a fully connected graph of domains (pyGAT's {@code
 * GraphAttentionLayer}, as HRKD's {@code models/gnn.py} uses it): parameters {@code W} [in, out]
 * and {@code a} [2·out, 1].
 *
 * <pre>
 * Z     = X W                                   [D, out]
 * e_ij  = LeakyReLU( a[:out]ᵀ Z_i + a[out:]ᵀ Z_j )  [D, D]
 * att   = dropout(softmax_j(e))                  (every pair is an edge: no masking)
 * out   = att Z   (then ELU when concatenated, as every HRKD head is)
 * </pre>
 */
public final class GraphAttentionLayer extends HfModule {
  private final int out;
  private final float dropout;
  private final float slope;
  private final boolean concat;
  private final Parameter w;
  private final Parameter a;

  /**
   * Creates a head.
   *
   * @param in input width
   * @param out output width
   * @param dropout dropout on the attention matrix
   * @param slope LeakyReLU slope
   * @param concat whether ELU is applied (heads concatenated) or not (the output layer, whose ELU
   *     the caller applies)
   */
  public GraphAttentionLayer(int in, int out, float dropout, float slope, boolean concat) {
    this.out = out;
    this.dropout = dropout;
    this.slope = slope;
    this.concat = concat;
    this.w = parameter("W", new Shape(in, out), new XavierUniform(1.414));
    this.a = parameter("a", new Shape(2L * out, 1), new XavierUniform(1.414));
  }

  /**
   * Applies the head.
   *
   * @param ps the parameter store of this pass
   * @param x node features, [D, in]
   * @param training whether dropout is active
   * @return new node features, [D, out]
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray z = x.matMul(value(ps, w, training)); // [D, out]
    NDArray av = value(ps, a, training); // [2 out, 1]
    NDArray left = z.matMul(av.get(new NDIndex(":" + out + ", :"))); // [D, 1]
    NDArray right = z.matMul(av.get(new NDIndex(out + ":, :"))); // [D, 1]
    NDArray e = Activation.leakyRelu(left.add(right.transpose()), slope); // [D, D]
    NDArray att = e.softmax(1); // [D, D]
    att = HostDropout.apply(att, dropout, training);
    NDArray h = att.matMul(z); // [D, out]
    return concat ? Activation.elu(h, 1f) : h;
  }
}
