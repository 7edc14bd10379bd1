/**
 * The figures of {@code retort bench}: each measured side by side with its reference in one run and
 * reported as a ratio against the target.
 *
 * <ul>
 *   <li>{@link dev.retort.bench.BenchSuite} runs the selected {@link dev.retort.bench.Figure}s in
 *       table order with a shared {@link dev.retort.bench.BenchContext} and returns a {@link
 *       dev.retort.bench.BenchReport} (table rows and JSON).
 *   <li>{@link dev.retort.bench.BenchSettings}: the full shapes (TinyBERT-4L-312 student, BERT-base
 *       shaped teacher, B 32, L 128) or the quick ones of the smoke test.
 *   <li>{@link dev.retort.bench.FigureResult} and {@link dev.retort.bench.Target}: value, text,
 *       verdict, details.
 *   <li>{@code compute}: matmul reference, step and teacher efficiency, step split.
 *   <li>{@code wire}: bytes per example of teacher output and the loss each payload gives.
 *   <li>{@code memory}: the trainer's resident set in a fresh JVM.
 *   <li>{@code jmh}: JMH micro-benchmarks (transport solver against commons-math, tensor codec,
 *       chunking) and the runner that drives them.
 *   <li>{@code platform}: platform overhead and knowledge reuse, through a {@link
 *       dev.retort.bench.platform.PlatformHarness} the command line provides.
 * </ul>
 */
package dev.retort.bench;
