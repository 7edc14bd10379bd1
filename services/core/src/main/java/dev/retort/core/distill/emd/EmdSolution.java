package dev.retort.core.distill.emd;

/**
 * The non-differentiable half of one BERT-EMD step: the optimal flows of the attention and
 * hidden-state transport problems, and the cost-attention weights they imply for the next step.
 *
 * @param attention the attention plan, M x N; null when the attention EMD is off ({@code
 *     distill.use-attention: false})
 * @param hidden the hidden-state plan, M x N
 * @param next the layer weights of the next step
 */
public record EmdSolution(TransportPlan attention, TransportPlan hidden, EmdLayerWeights next) {}
