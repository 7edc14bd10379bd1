/**
 * Data sets for distillation: raw examples, readers, deterministic splits, batching and
 * multi-domain sampling.
 *
 * <ul>
 *   <li>Model: {@link dev.retort.core.data.Example}, {@link dev.retort.core.data.LabelMap}, {@link
 *       dev.retort.core.data.Dataset}, {@link dev.retort.core.data.MultiDomainData}.
 *   <li>Readers: {@link dev.retort.core.data.GlueReader} (all GLUE tasks), {@link
 *       dev.retort.core.data.MnliGenres}, {@link dev.retort.core.data.AmazonReviews}, {@link
 *       dev.retort.core.data.TabularReader} (CSV, TSV, JSONL), and the synthetic {@link
 *       dev.retort.core.data.SampleData}.
 *   <li>Order: {@link dev.retort.core.data.SeededRandom} (SplitMix64) behind every shuffle, {@link
 *       dev.retort.core.data.Splits}, {@link dev.retort.core.data.Batcher} and {@link
 *       dev.retort.core.data.MultiDomainSampler}; batches are pure functions of (seed, epoch,
 *       index), see {@link dev.retort.core.data.BatchPosition}.
 * </ul>
 *
 * <p>Nothing here depends on DJL; batches are plain {@code int[][]} so services can reuse them.
 * Shape legend: N examples, B batch, L sequence length, D domains.
 */
package dev.retort.core.data;
