/**
 * EfficientBERT's progressive FFN search (methods.md 3.4), runnable in-process.
 *
 * <p>The pieces, from the outside in:
 *
 * <ul>
 *   <li>{@link dev.retort.core.efficientbert.search.SearchRunner}: one stage from a job file
 *       ({@code search} section): data, teachers, warm-up, controller, result files.
 *   <li>{@link dev.retort.core.efficientbert.search.SearchController}: the loop. It proposes a
 *       {@link dev.retort.core.efficientbert.search.CandidateSpec}, has a {@link
 *       dev.retort.core.efficientbert.search.CandidateEvaluator} score it (a pure function of the
 *       spec, so a remote dispatcher can stand in for the in-process training), keeps the {@link
 *       dev.retort.core.efficientbert.search.HallOfFame} and persists a {@link
 *       dev.retort.core.efficientbert.search.SearchState} after every candidate.
 *   <li>{@link dev.retort.core.efficientbert.search.SearchSpace}: what a stage may propose (stage
 *       1: operators and sizes; stage 2: operators with the stage-1 sizes; stage 3: sizes with the
 *       stage-2 operators), within a {@link dev.retort.core.efficientbert.search.ParamBudget}.
 *   <li>Samplers: {@link dev.retort.core.efficientbert.search.RandomSampler} and {@link
 *       dev.retort.core.efficientbert.search.LearnedSampler}, which rejection-samples inside the
 *       region a {@link dev.retort.core.efficientbert.search.PartitionTree} of {@link
 *       dev.retort.core.efficientbert.search.GbdtClassifier}s (Smile gradient-boosted trees, tuned
 *       by {@link dev.retort.core.efficientbert.search.GbdtTuner}) learned from the history.
 *   <li>Evaluators: {@link dev.retort.core.efficientbert.search.KdCandidateEvaluator} (stages 1, 2:
 *       weights sliced from the warmed-up supernet, short pre-training KD, downstream KD, best
 *       metric on the held-out tail of train, {@link
 *       dev.retort.core.efficientbert.search.FitnessHoldout}) and {@link
 *       dev.retort.core.efficientbert.search.SharedWeightEvaluator} (stage 3: a size vector run on
 *       the held-out tail with the weights {@link
 *       dev.retort.core.efficientbert.search.SharedSizeTraining} trained once).
 *   <li>Training: {@link dev.retort.core.efficientbert.search.SupernetWarmup}, {@link
 *       dev.retort.core.efficientbert.search.KdSteps}, {@link
 *       dev.retort.core.efficientbert.search.KdTraining}, {@link
 *       dev.retort.core.efficientbert.search.DevScorer}.
 * </ul>
 *
 * <p>Reproducibility: candidate i draws from a generator derived from (seed, stage, i), its
 * evaluation seed likewise, and the learned sampler refits its tree from the saved history; so a
 * stopped search that is run again proposes and scores the same candidates as an uninterrupted one.
 *
 * <p>Tensor shape legend as in {@link dev.retort.core.efficientbert}; feature matrices are [n, d]
 * (n candidates, d features).
 */
package dev.retort.core.efficientbert.search;
