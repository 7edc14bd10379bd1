/**
 * EfficientBERT's FFN search space: the prefix expression language, its evaluation on DJL, the
 * validity rules, parameter counting, mutation operators, functional hashing and sampler features.
 *
 * <p>EfficientBERT (Dong et al., Findings of EMNLP 2021) searches the feed-forward block of each
 * layer as a small expression tree such as {@code linear2_2(gelu(linear2_2(x,wb1)),wb2)}. The
 * terminals are the layer input {@code x} and the two weight pairs {@code wb1 = (W1, b1)} and
 * {@code wb2 = (W2, b2)}; {@code linearA_B} means "A stacked FFNs of inner width m = int(H / B)".
 *
 * <p>Main types:
 *
 * <ul>
 *   <li>{@link dev.retort.core.efficientbert.Expr}: the immutable tree; {@link
 *       dev.retort.core.efficientbert.ExprParser} reads it, {@code toString()} prints it back.
 *   <li>{@link dev.retort.core.efficientbert.ExprEvaluator}: computes an expression with DJL ops.
 *   <li>{@link dev.retort.core.efficientbert.ValidityRules}: the search's validity filter.
 *   <li>{@link dev.retort.core.efficientbert.EfficientBertArch} and {@link
 *       dev.retort.core.efficientbert.ParamCount}: the three published models and their sizes.
 *   <li>{@link dev.retort.core.efficientbert.Mutations}, {@link
 *       dev.retort.core.efficientbert.ExpressionSampler}, {@link
 *       dev.retort.core.efficientbert.FunctionalHash} and {@link
 *       dev.retort.core.efficientbert.ArchFeatures}: the pieces the search loop is built from.
 *   <li>{@link dev.retort.core.efficientbert.EfficientBertModel}: the model itself ({@link
 *       dev.retort.core.efficientbert.MobileBertEmbeddings}, {@link
 *       dev.retort.core.efficientbert.AutoBertLayer}, {@link
 *       dev.retort.core.efficientbert.AutoBertFfn}), with the same {@code BertOutputs} taps as
 *       BERT so that the distillation losses apply unchanged.
 *   <li>{@link dev.retort.core.efficientbert.Supernet} and {@link
 *       dev.retort.core.efficientbert.SupernetSlicer}: the weight-sharing warm-up and weight
 *       inheritance; {@link dev.retort.core.efficientbert.PretrainingKdObjective}, {@link
 *       dev.retort.core.efficientbert.PlainTextCorpus} and {@link
 *       dev.retort.core.efficientbert.PretrainingExamples}: task-agnostic pre-training
 *       distillation.
 * </ul>
 *
 * <p>Tensor shape legend: B batch, L sequence length, H hidden size, A heads, E token embedding
 * width (128), m inner FFN width, S stored inner width, F distillation width (768), V vocabulary.
 */
package dev.retort.core.efficientbert;
