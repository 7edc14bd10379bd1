package dev.retort.core.distill.hrkd;

import dev.retort.core.tensor.HostTensor;

/**
 * What the graph returns for one step, as plain tensors so that it can cross the wire.
 *
 * @param ratios r, [M+1, D], each row a softmax over domains
 * @param prototypeGrad {@code ∂(Σ_{l,d} r[l][d]·ℓ[l][d]) / ∂P}, [M+1, D, H], the vector-Jacobian
 *     product the trainer adds as {@code Σ P·g}
 * @param hierarchy the compare-aggregate weights, flattened per layer (for metrics), or null
 */
public record GraphResult(HostTensor ratios, HostTensor prototypeGrad, HostTensor hierarchy) {}
