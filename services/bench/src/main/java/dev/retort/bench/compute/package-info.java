/**
 * Compute efficiency: the reference fp32 matmul ({@link dev.retort.bench.compute.MatmulReference}),
 * analytic FLOP counts ({@link dev.retort.bench.compute.FlopCount}), the step workload with given
 * teacher outputs ({@link dev.retort.bench.compute.StepWorkload}, {@link
 * dev.retort.bench.compute.GivenTeacher}) run by the core's training loop ({@link
 * dev.retort.bench.compute.StepRunner}), and the step, split and teacher figures.
 */
package dev.retort.bench.compute;
