/**
 * The plain-Java parts of BERT-EMD (Li et al., EMNLP 2020; methods.md §1.4, §1.5, §5.2): the exact
 * transport solver between student and teacher layers and the cost-attention update of the layer
 * weights. Everything here runs outside autograd on {@code double}s.
 *
 * <p>Per training step, for the attention and the hidden-state distances D ({@code [M][N]}, built
 * elsewhere with DJL): {@link dev.retort.core.distill.emd.TransportSolver#solve} gives the optimal
 * flow F for the current {@link dev.retort.core.distill.emd.EmdLayerWeights}; the EMD loss is
 * {@code Σ F ⊙ D} with F a constant; after the backward pass {@link
 * dev.retort.core.distill.emd.CostAttention#update} turns both (F, D) pairs into the weights of the
 * next step.
 *
 * <p>Notation: M student layers (rows, supplies), N teacher layers (columns, demands).
 */
package dev.retort.core.distill.emd;
