/**
 * JMH micro-benchmarks and their runner. {@link dev.retort.bench.jmh.TransportSolverBenchmark}
 * compares retort's transport solver with commons-math's simplex on the same 4×12 instances (the
 * set-up checks the optima agree); {@link dev.retort.bench.jmh.TensorCodecBenchmark} and {@link
 * dev.retort.bench.jmh.ChunkingBenchmark} time the wire codec. {@link
 * dev.retort.bench.jmh.JmhRunner} drives them through JMH's Runner API (in-process in quick mode,
 * forked otherwise). The annotation processor generates the harness at compile time.
 */
package dev.retort.bench.jmh;
