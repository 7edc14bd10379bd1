package dev.retort.loss.emd;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;

/**
 * One decoded EMD request.
 *
 * @param rule the job's cost-attention update
 * @param weights the layer weights the trainer holds for this step
 * @param attention attention distances, M x N, or null (a job without the attention EMD)
 * @param hidden hidden-state distances, M x N
 */
public record EmdInput(
    CostAttention rule, EmdLayerWeights weights, double[][] attention, double[][] hidden) {}
