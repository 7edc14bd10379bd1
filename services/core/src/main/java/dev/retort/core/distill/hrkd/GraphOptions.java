package dev.retort.core.distill.hrkd;

/**
 * Settings of HRKD's graph for one job.
 *
 * @param trained whether the graph's parameters are optimised ({@code trained}) or stay at their
 *     initialisation ({@code frozen}, what the official code does)
 * @param hierarchical whether the compare-aggregate step is used
 * @param heads GAT heads
 * @param dropout GAT dropout
 * @param slope LeakyReLU slope
 * @param learningRate peak learning rate of the graph (trained mode)
 * @param weightDecay AdamW weight decay of the graph (trained mode)
 * @param totalSteps steps of the linear warm-up/decay schedule
 * @param warmup warm-up fraction
 * @param seed seed of the initialisation and of the dropout masks
 * @param numLayers M + 1
 * @param numDomains D
 * @param hidden prototype width
 */
public record GraphOptions(
    boolean trained,
    boolean hierarchical,
    int heads,
    float dropout,
    float slope,
    double learningRate,
    double weightDecay,
    long totalSteps,
    double warmup,
    long seed,
    int numLayers,
    int numDomains,
    int hidden) {}
