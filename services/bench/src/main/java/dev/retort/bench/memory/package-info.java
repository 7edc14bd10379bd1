/**
 * Trainer memory: {@link dev.retort.bench.memory.MemoryProbe} trains in a fresh JVM and prints
 * {@code /proc/self/status} samples ({@link dev.retort.bench.memory.ProcStatus}); {@link
 * dev.retort.bench.memory.MemoryFigure} starts it and judges the growth ({@link
 * dev.retort.bench.memory.MemorySamples}).
 */
package dev.retort.bench.memory;
