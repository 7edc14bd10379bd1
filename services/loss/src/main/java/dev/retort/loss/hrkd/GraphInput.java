package dev.retort.loss.hrkd;

import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.tensor.HostTensor;

/**
 * One decoded graph request.
 *
 * @param options the job's graph settings
 * @param resumeFromStep the trainer's checkpoint step to restore the graph from; 0 for none
 * @param snapshot whether the trainer checkpoints after this step
 * @param prototypes detached domain prototypes // [M+1, D, H]
 * @param layerLosses detached per-layer, per-domain losses // [M+1, D]
 */
public record GraphInput(
    GraphOptions options,
    long resumeFromStep,
    boolean snapshot,
    HostTensor prototypes,
    HostTensor layerLosses) {}
