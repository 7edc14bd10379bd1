package dev.retort.core.job;

import static dev.retort.core.job.KeySpec.bool;
import static dev.retort.core.job.KeySpec.choice;
import static dev.retort.core.job.KeySpec.integer;
import static dev.retort.core.job.KeySpec.integers;
import static dev.retort.core.job.KeySpec.number;
import static dev.retort.core.job.KeySpec.string;
import static dev.retort.core.job.KeySpec.stringMap;
import static dev.retort.core.job.KeySpec.strings;

import java.util.List;

/**
 * Every key of the job file, its type, default and meaning: the single definition the parser
 * checks against and the reference page ({@code retort job-reference}) is generated from.
 */
public final class JobSchema {
  private JobSchema() {}

  /** Distillation methods, as named in {@code distill.method}. */
  public static final List<String> METHODS =
      List.of("none", "logits-kd", "tinybert", "pkd", "layerwise", "bert-emd", "hrkd", "multi-domain-kd");

  private static final Section ROOT = build();

  /** Returns the root section. */
  public static Section root() {
    return ROOT;
  }

  private static Section training(String name, String doc, double lr, long epochs, String optimizer) {
    return Section.builder(name, doc)
        .key(integer("epochs", epochs, "Passes over the training data."))
        .key(integer("max-steps", null, "Stop after this many optimiser steps (overrides epochs when smaller)."))
        .key(integer("batch-size", 32L, "Examples per optimiser step (per domain for multi-domain methods)."))
        .key(integer("grad-accumulation", 1L, "Micro-batches accumulated per optimiser step; batch-size is split into this many."))
        .key(number("lr", lr, "Peak learning rate."))
        .key(choice("optimizer", optimizer, List.of("auto", "adamw", "bert-adam"),
            "adamw: torch AdamW (HRKD, EfficientBERT). bert-adam: BertAdam of the BERT-EMD code (no bias"
                + " correction, per-tensor clipping, warmup_linear schedule). auto: adamw for hrkd,"
                + " multi-domain-kd and EfficientBERT students, as their code; bert-adam for the others (the"
                + " BERT-EMD script trains its baselines with it, and so do TinyBERT's and PKD's code)."))
        .key(number("weight-decay", 0.01, "Decoupled weight decay, not applied to biases and LayerNorm weights."))
        .key(number("warmup", 0.1, "Fraction of the steps spent warming the learning rate up linearly."))
        .key(number("max-grad-norm", 1.0, "Gradient clipping norm: global for adamw, per tensor for bert-adam. 0 disables."))
        .key(integer("eval-every", 50L, "Evaluate on dev every this many steps and keep the best checkpoint. 0: at epoch ends only."))
        .key(integer("checkpoint-every", 0L, "Write a resumable checkpoint every this many steps. 0: at every evaluation."))
        .key(integer("log-every", 10L, "Report progress and loss terms every this many steps."))
        .key(bool("drop-last", true, "Skip the last incomplete batch of an epoch (the BERT-EMD code does)."))
        .key(choice("batching", "fixed", List.of("fixed", "shuffle"),
            "fixed: batches of similar length are formed once and visited in a new seeded order every epoch,"
                + " so teacher outputs can be replayed across epochs and jobs. shuffle: examples are reshuffled"
                + " every epoch."))
        .build();
  }

  private static Section build() {
    Section task =
        Section.builder("task", "The data set and how it is tokenised.")
            .key(choice("format", "sample", List.of("sample", "glue", "mnli-genres", "amazon", "table"),
                "sample: the synthetic multi-domain reviews retort writes itself. glue: a GLUE task directory."
                    + " mnli-genres: MNLI split by genre. amazon: Blitzer's multi-domain reviews. table: your own"
                    + " CSV/TSV/JSONL files."))
            .key(string("name", null, "GLUE task: CoLA, SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE or WNLI (format glue)."))
            .key(string("dir", null, "Data directory: the GLUE task folder, the MNLI folder, the Amazon root with one folder"
                + " per domain, or where the sample data is written (default .retort/sample-data)."))
            .key(string("train", null, "Training file (format table)."))
            .key(string("dev", null, "Dev file (format table); without it, a seeded 10% of train is held out."))
            .key(string("test", null, "Test file (format table)."))
            .key(stringMap("columns", "Column or field names (format table): text, text-b, label, domain."))
            .key(strings("labels", null, "Label names in id order. Required for format table classification; fixed"
                + " for the built-in formats."))
            .key(bool("regression", false, "The label is a real number (format table)."))
            .key(strings("domains", null, "Domains to use (sample, mnli-genres, amazon, or a table domain column);"
                + " default all."))
            .key(string("fit-domain", null, "HRKD's fit domain that sets the epoch length (default: the first domain)."))
            .key(integer("max-length", 64L, "Longest tokenised input; longer pairs are truncated one token at a time"
                + " from the longer side. The BERT-EMD code's effective value is 64."))
            .key(integers("buckets", null, "Length buckets a batch is padded to (capped at max-length), so the"
                + " engine sees few shapes. Default: none (every batch padded to max-length) for bert-emd, tinybert,"
                + " layerwise, hrkd, multi-domain-kd and EfficientBERT students, as their official code pads: their"
                + " attention and hidden-state MSEs average over every position, pads included, so a shorter padding"
                + " rescales those terms batch by batch against the prediction loss. 16, 32, 64, 128 for none,"
                + " logits-kd and pkd, whose losses read only [CLS] or the logits and do not depend on the padding."
                + " Setting buckets for the first group trains faster, at the price of that rescaling."))
            .key(number("train-fraction", 1.0, "Few-shot: train on this seeded fraction of each domain's training set."))
            .key(integer("max-train-examples", null, "Use at most this many training examples (seeded sample). Multi-domain methods take this many divided by the number of domains from each domain."))
            .key(number("dev-from-train", null, "Score on the end of the training split instead of dev: the last"
                + " max(dev-from-train-min, int(fraction x n)) training examples, in file order and after the caps"
                + " above, become the dev split and are not trained on; the task's own dev split is not read"
                + " (single-domain training; multi-domain methods keep their per-domain splits). EfficientBERT's"
                + " platform search gives its candidates its search.holdout-fraction this way, as the in-process"
                + " search holds out the same rows."))
            .key(integer("dev-from-train-min", 100L, "The fewest training examples dev-from-train holds out."))
            .key(integer("max-eval-examples", null, "Use at most this many dev and, separately, test examples (seeded sample). Multi-domain methods take this many divided by the number of domains from each domain."))
            .key(bool("evaluate-test", true, "Score the final models of an in-process run on the test split when it is"
                + " labelled. Search candidates set false: their score is the dev metric and the search never sees"
                + " the test split."))
            .key(integer("sample-size", 1500L, "Training examples per domain of the generated sample data."))
            .build();

    Section teacher =
        Section.builder("teacher", "The teacher model, optionally fine-tuned first as part of the job.")
            .key(KeySpec.requiredString("model", "Model reference: an alias (bert-base-uncased, all-minilm-l6-v2,"
                + " bge-small-en-v1.5), maven:G:A:V, hf-dir:PATH, onnx:PATH, hf:NAME, or checkpoint:PATH of a"
                + " retort checkpoint or export."))
            .key(bool("finetune", false, "Fine-tune the teacher on the task before distilling (see teacher.training)."))
            .key(choice("gelu", "auto", List.of("auto", "erf", "tanh"), "GELU variant; auto takes the checkpoint's."))
            .key(choice("pooled-activation", "none", List.of("none", "relu"),
                "relu reproduces the BERT-EMD code, which puts a ReLU between pooler and classifier. transformers has no such"
                    + " layer: an export of a relu model loads there, but its logits differ from retort's (the export says so)."))
            .key(bool("dropout", false, "Keep dropout on in the teacher while distilling (the BERT-EMD code never calls"
                + " eval() on its teacher)."))
            .section(training("training", "Teacher fine-tuning.", 5e-5, 3, "adamw"))
            .build();

    Section pretrain =
        Section.builder("pretrain", "EfficientBERT student: task-agnostic pre-training KD before downstream KD"
                + " (attention MSE + projected hidden MSE against a pre-trained encoder on unlabelled text, no logits;"
                + " methods.md 3.3), the short phase every search candidate gets. It runs where the student trains,"
                + " with the pre-trained encoder loaded there: its teacher outputs do not go through the teacher service.")
            .key(integer("steps", 0L, "Pre-training KD steps (batch distill.training.batch-size); 0 skips the phase."))
            .key(number("lr", 1e-4, "Peak learning rate (linear warm-up over 10%, then linear decay)."))
            .key(string("corpus", null, "Plain-text corpus: UTF-8, one sentence per line, blank lines between"
                + " documents. Required when steps > 0. The sample data come with one: corpus.txt in their"
                + " directory."))
            .key(string("teacher", null, "Pre-trained encoder, as teacher.model (default: the task teacher's encoder)."
                + " Needs the task teacher's width and head count."))
            .build();

    Section student =
        Section.builder("student", "The student's shape and initialisation.")
            .key(string("preset", "tinybert-4l-312", "Model preset: tinybert-4l-312, tinybert-6l-768, minilm-l6-h384,"
                + " bge-small, bert-base, tiny, or 'teacher' for the teacher's shape."))
            .key(integer("layers", null, "Override the number of layers."))
            .key(integer("hidden-size", null, "Override the hidden size."))
            .key(integer("heads", null, "Override the number of attention heads. Attention distillation (bert-emd, tinybert and layerwise unless"
                + " distill.use-attention is false) needs the teacher's head count. A job that gives the student another"
                + " is refused before any model loads (rejected on the platform) when the references tell the counts"
                + " (presets, aliases, a directory's config.json, onnx heads=), otherwise once the models are built."))
            .key(integer("intermediate-size", null, "Override the FFN size."))
            .key(choice("init", "auto", List.of("auto", "teacher-layers", "pretrained", "random"),
                "teacher-layers: copy embeddings and every k-th teacher layer (needs the teacher's width)."
                    + " pretrained: copy layers of student.model. random: BERT's initialiser. auto: teacher-layers"
                    + " when the widths match, otherwise random."))
            .key(string("model", null, "Pretrained model to initialise from (init pretrained), e.g. all-minilm-l6-v2."))
            .key(integers("init-layers", null, "Source layers (1-based) copied into student layers 1..M; default every"
                + " k-th (k = source layers / M, taking layers k, 2k, ...)."))
            .key(choice("gelu", "auto", List.of("auto", "erf", "tanh"), "GELU variant; auto follows the teacher."))
            .key(choice("pooled-activation", "none", List.of("none", "relu"), "As teacher.pooled-activation."))
            .key(number("dropout", 0.1, "Hidden and attention dropout of the student."))
            .key(strings("ffn-expressions", null, "EfficientBERT student: one FFN expression per layer, e.g."
                + " tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2)); linearA_B stacks A FFNs of inner width H/B."
                + " The search starts from them (stage 1: the first candidate; stages 2 and 3: the previous"
                + " stage's best, when search.previous-stage is not set). retort distill trains such a"
                + " student with EfficientBERT's downstream KD (attention + hidden + prediction) and keeps it in"
                + " an EfficientBERT directory, which carries its model code for transformers"
                + " (trust_remote_code=True; a relu pooled-activation is kept there)."))
            .key(string("supernet", null, "EfficientBERT student: a supernet.safetensors written by retort search;"
                + " the student inherits its first A FFNs and m units per layer, every matrix sliced to the"
                + " student's width and layers repeated for deeper students. Default: random initialisation."))
            .key(integer("embedding-size", null, "EfficientBERT student: token embedding width E of the"
                + " MobileBERT trigram embedding (default 128)."))
            .section(pretrain)
            .build();

    Section weights =
        Section.builder("weights", "Weights of the loss terms of layer-wise methods.")
            .key(number("emb", 1.0, "Embedding-output term."))
            .key(number("hid", null, "Hidden-state terms (summed over mapped layers); default 1, and 100 for pkd's"
                + " patient loss (PKD's code: the mean over batch, mapped layers and width of the normalised [CLS]"
                + " differences)."))
            .key(number("att", 1.0, "Attention-score terms (summed over mapped layers)."))
            .key(number("pred", 1.0, "Prediction-layer loss."))
            .build();

    Section mapping =
        Section.builder("mapping", "Layer mapping of one-to-one methods (tinybert, pkd, layerwise).")
            .key(choice("kind", "auto", List.of("auto", "uniform", "pkd-skip", "pkd-last", "explicit"),
                "uniform: student l to teacher k·l (TinyBERT). pkd-skip / pkd-last: PKD. explicit: mapping.layers."
                    + " auto: uniform for tinybert and layerwise, pkd-skip for pkd."))
            .key(integers("layers", null, "Teacher layer (1-based) of each student layer, for kind explicit."))
            .build();

    Section emd =
        Section.builder("emd", "BERT-EMD: many-to-many layer mapping by Earth Mover's Distance.")
            .key(number("beta", 0.01, "β in L = β·(θ·(L_hid + L_att) + L_emb) + L_pred. distill.use-attention false"
                + " drops L_att, distill.use-embedding false drops L_emb."))
            .key(number("theta", 1.0, "θ in the same formula."))
            .key(choice("weight-update", "v2022-sum", List.of("v2022-sum", "v2020-softmax"),
                "Cost-attention normalisation: v2022-sum (current official code, divide by the sum) or"
                    + " v2020-softmax (paper-era code: softmax(ŵ/T_emd), then an extra softmax after averaging)."))
            .key(number("t-emd", 1.0, "Temperature of v2020-softmax (ignored by v2022-sum, as in the official code)."))
            .key(bool("separate", false, "Keep attention and hidden layer weights apart instead of averaging them."))
            .key(choice("guard", "safe", List.of("safe", "official"),
                "safe: guard the divide-by-zero cases of the update. official: no guards, as the official code;"
                    + " a zero cost then gives NaN layer weights, and the next transport solve stops the job with an"
                    + " error that names them."))
            .key(choice("stages", "joint", List.of("joint", "two-stage"),
                "joint: one stage, as the released code. two-stage: the layer losses first, unscaled by beta as"
                    + " the paper-era code trains them, then the prediction loss."))
            .key(choice("pred-loss", "distillation", List.of("distillation", "soft-cross-entropy"),
                "distillation: the official default (new_pred_loss=True), alpha·SCE·T²/reduce-t + (1 − alpha)·CE;"
                    + " regression alpha·MSE(teacher) + (1 − alpha)·MSE(gold). soft-cross-entropy: the official"
                    + " new_pred_loss=False, SCE·T²/2 with no hard-label term; regression MSE(gold) only. It ignores"
                    + " distill.alpha, distill.t-squared and distill.regression-target, so a job that sets them"
                    + " otherwise is refused."))
            .key(number("reduce-t", 1.0, "reduce_T: the divisor of the soft term of pred-loss distillation"
                + " (SCE·T²/reduce-t), greater than 0."))
            .build();

    Section hrkd =
        Section.builder("hrkd", "HRKD: hierarchical, domain-relational distillation over several domains.")
            .key(choice("graph", "frozen", List.of("frozen", "trained"),
                "frozen: the graph keeps its random initialisation (what the official code does: its parameters"
                    + " are never given to an optimiser). trained: the graph is optimised too (the paper's intent);"
                    + " needs distill.training.grad-accumulation 1."))
            .key(bool("hierarchical", true, "Use the hierarchical compare-aggregate step."))
            .key(integer("heads", 8L, "GAT heads."))
            .key(number("graph-dropout", 0.1, "Dropout inside the GAT (always active, as in the official code)."))
            .key(number("leaky-relu", 0.2, "LeakyReLU slope of the GAT."))
            .key(number("graph-lr", null, "Learning rate of the graph in trained mode (default distill.lr)."))
            .key(number("hidden-ratio", 1.0, "Weight of the layer terms."))
            .key(number("pred-ratio", 1.0, "Weight of the prediction term."))
            .build();

    Section distill =
        Section.builder("distill", "The distillation method and its training.")
            .key(choice("method", "bert-emd", METHODS,
                "none: fine-tune the student on labels only. logits-kd: soft targets with temperature. tinybert:"
                    + " uniform layer mapping. pkd: skip/last mapping with the patient loss. layerwise: any mapping."
                    + " bert-emd: EMD many-to-many mapping. hrkd: hierarchical relational KD across domains."
                    + " multi-domain-kd: HRKD's loss without the graph (its ablation baseline)."))
            .key(number("temperature", 1.0, "Softmax temperature T of the soft cross-entropy."))
            .key(number("alpha", 1.0, "Weight of the soft loss; 1 − alpha goes to the hard-label loss."))
            .key(choice("t-squared", "auto", List.of("auto", "yes", "no"),
                "Multiply the soft loss by T². auto: yes for bert-emd, logits-kd, tinybert, pkd and layerwise (the"
                    + " BERT-EMD code), no for hrkd."))
            .key(choice("regression-target", "auto", List.of("auto", "teacher", "gold"),
                "Regression tasks: match the teacher's prediction (mixed with gold by alpha) or the gold score."
                    + " auto: gold for tinybert (TinyBERT's task_distill.py), the teacher for the others (the"
                    + " BERT-EMD code)."))
            .key(choice("projection", "auto", List.of("auto", "shared", "per-layer", "none"),
                "Student-to-teacher width projection: shared (TinyBERT, BERT-EMD), per-layer (HRKD) or none."
                    + " auto: per-layer for hrkd and multi-domain-kd; for pkd none when the widths match (PKD's"
                    + " code has no projection); shared for the others, even at equal widths, as the BERT-EMD"
                    + " and TinyBERT code apply their freshly initialised fit_dense to every student state."))
            .key(bool("use-embedding", true, "Include the embedding-output term: the projected MSE between the"
                + " student's and the teacher's embedding outputs (tinybert, layerwise; bert-emd's L_emb, as the"
                + " official use_embedding). false also keeps the teacher from sending its embedding output. pkd,"
                + " logits-kd and none have no such term: a job of theirs that sets the key to true is refused."
                + " hrkd, multi-domain-kd and EfficientBERT students (and searches) always include theirs, as their"
                + " code, which has no switch: a job of theirs that sets the key to false is refused."))
            .key(bool("use-attention", true, "Include the attention-score terms: tinybert's and layerwise's MSE per"
                + " mapped layer; bert-emd's attention EMD L_att, as the official use_att (false: no attention"
                + " transport problem, and the attention layer weights enter the cost-attention average"
                + " unchanged). false also keeps the teacher from sending scores and lets the student have another"
                + " head count. pkd, logits-kd and none have no such term: a job of theirs that sets the key to true"
                + " is refused. hrkd, multi-domain-kd and EfficientBERT students (and searches) always include"
                + " theirs, as their code, which has no switch: a job of theirs that sets the key to false is"
                + " refused."))
            .key(choice("hidden-loss", "auto", List.of("auto", "mse", "patient"),
                "mse: projected full-sequence MSE. patient: PKD's normalised [CLS] distance. auto: patient for pkd."))
            .key(choice("stages", "joint", List.of("joint", "two-stage"),
                "For tinybert, pkd and layerwise: joint, or TinyBERT's intermediate-then-prediction schedule"
                    + " (an error for other methods; bert-emd has distill.emd.stages)."))
            .key(integer("intermediate-epochs", null, "Epochs of the intermediate stage of two-stage (default distill.training.epochs)."))
            .section(training("training", "Student training.", 3e-5, 10, "auto"))
            .section(weights)
            .section(mapping)
            .section(emd)
            .section(hrkd)
            .build();

    Section search =
        Section.builder("search", "EfficientBERT's progressive FFN search, run in-process by the search runner"
                + " (ignored by retort distill). The student's hidden-size (default 540), heads, layers (default 6) and"
                + " embedding-size give the supernet; student.heads must equal the teachers'.")
            .key(integer("stage", 1L, "1: operators and sizes together. 2: operators only, sizes of the stage-1 best."
                + " 3: sizes only, scored on weights shared by all sizes without further training."))
            .key(choice("sampler", "learned", List.of("learned", "random"),
                "learned: random candidates first, then candidates inside the region a tree of GBDT classifiers"
                    + " learned (the reference). random: random search, the baseline."))
            .key(integer("candidates", 100L, "Candidates to evaluate in this stage, counting those of earlier runs."))
            .key(integer("steps-per-candidate", 100L, "Downstream KD steps per candidate (stages 1, 2)."))
            .key(integer("pretrain-steps", 20L, "Pre-training KD steps per candidate before downstream KD (stages 1, 2)."))
            .key(integer("batch-size", 32L, "Examples per step of every search training."))
            .key(number("lr", 4e-4, "Peak learning rate of downstream KD (the reference search uses 4e-4)."))
            .key(number("pretrain-lr", 1e-4, "Peak learning rate of pre-training KD and of the warm-up."))
            .key(integer("eval-every", 50L, "Downstream steps between evaluations on the held-out examples"
                + " (search.holdout-fraction); the fitness is the best one."))
            .key(integer("budget-min-params", 15_000_000L, "Smallest parameter count of a candidate (pooler and"
                + " classifier not counted, fit_dense counted)."))
            .key(integer("budget-max-params", 16_000_000L, "Largest parameter count of a candidate."))
            .key(integer("time-limit-minutes", null, "Start no new candidate after this long; run again to resume."))
            .key(string("supernet-checkpoint", null, "The warmed-up supernet (safetensors). Created by the warm-up when"
                + " missing; default <output dir>/supernet.safetensors."))
            .key(integer("warmup-steps", 1000L, "Pre-training KD steps of the supernet warm-up, when the checkpoint is missing."))
            .key(string("corpus", null, "Plain-text corpus for pre-training KD: UTF-8, one sentence per line, blank lines"
                + " between documents. Required for the warm-up and when pretrain-steps > 0. The sample data"
                + " (task.format sample) come with one: corpus.txt in their directory."))
            .key(string("pretrain-teacher", null, "Pre-trained teacher of pre-training KD, as teacher.model (default: the"
                + " task teacher's encoder)."))
            .key(string("previous-stage", null, "search-state.json of the previous stage: stage 2 mutates its best two"
                + " candidates and keeps the best one's sizes, stage 3 keeps the best one's operators."))
            .key(number("holdout-fraction", 0.01, "Stages 1 and 2: the fraction of the task's training split held"
                + " out at its end to score candidates on (the reference's last 1% of MNLI train); candidates train"
                + " on the examples before it and the search never reads dev. The held-out examples are the last"
                + " rows in the split's order, not shuffled, as in the reference: the multi-domain formats (sample,"
                + " mnli-genres, amazon) list train domain by domain unless task.max-train-examples shuffles it."
                + " With dispatch platform each candidate job holds out the same rows (task.dev-from-train)."))
            .key(number("shared-holdout-fraction", 0.1, "Stage 3: the same for the shared-weight scores (the"
                + " reference's last 10% of MNLI train); the size-sharing supernet trains on the examples before it."))
            .key(integer("holdout-min-examples", 100L, "Hold out at least this many training examples, so that a"
                + " small training split still gives a usable fitness (1% of a few thousand examples is a few"
                + " dozen). The search stops with an error when the training split has no more examples than it"
                + " holds out."))
            .key(integer("shared-pretrain-steps", 0L, "Stage 3: pre-training KD steps of the size-sharing supernet."))
            .key(integer("shared-steps", 1000L, "Stage 3: downstream KD steps of the size-sharing supernet."))
            .key(integer("init-samples", 80L, "Learned sampler: random candidates before the first fit."))
            .key(integer("train-interval", 10L, "Learned sampler: candidates between re-fits of the partition."))
            .key(integers("height-thresholds", List.of(400L, 800L, 1600L, 3200L),
                "Learned sampler: the partition grows one level past each of these candidate counts."))
            .key(integer("max-tries", 20000L, "Learned sampler: random draws per proposal to find one in the chosen region."))
            .key(integer("gbdt-trials", 10L, "Hyper-parameter sets tried per GBDT classifier (seeded random search)."))
            .key(integer("hall-of-fame", 10L, "Best candidates kept and reported."))
            .key(choice("dispatch", "in-process", List.of("in-process", "platform"),
                "Stages 1 and 2: in-process trains each candidate here; platform sends each candidate as a"
                    + " distill job to the requests topic (retort search --platform) and reads its score on the"
                    + " held-out end of train (task.dev-from-train)."))
            .key(integer("parallel", 1L, "Candidates evaluated at once: a population proposed together (with"
                + " dispatch platform, N trainer replicas work through it in parallel)."))
            .build();

    Section output =
        Section.builder("output", "Where results go.")
            .key(string("dir", null, "Run directory for checkpoints, logs and exports (default runs/<name>)."))
            .key(bool("export", true, "Export the best student as a Hugging Face directory at the end."))
            .key(integer("keep-checkpoints", 2L, "Resumable checkpoints kept besides the best one."))
            .build();

    Section platform =
        Section.builder("platform", "How the job runs on the Kafka services (ignored in-process).")
            .key(choice("teacher-dtype", "fp32", List.of("fp32", "fp16", "bf16"),
                "Wire type of teacher hidden states and scores. fp32 is exact; fp16/bf16 halve the bytes."))
            .key(choice("teacher-outputs", "minimal", List.of("minimal", "all"),
                "minimal: only what the method needs. all: every layer, so jobs with different methods share one"
                    + " teacher pass (retort compare uses it)."))
            .key(integer("prefetch", 8L, "Teacher batches requested ahead of the step that needs them."))
            .key(integer("teacher-timeout-seconds", 300L, "Fail the job if a teacher output does not arrive in time."))
            .key(integer("loss-timeout-seconds", 120L, "Fail the job if the loss service does not answer in time."))
            .build();

    return Section.builder("", "A retort job.")
        .key(string("name", null, "Job name (default: the job file's name)."))
        .key(integer("seed", 42L, "Seed of data order, initialisation and dropout; the same seed gives the same run."))
        .section(task)
        .section(teacher)
        .section(student)
        .section(distill)
        .section(search)
        .section(output)
        .section(platform)
        .build();
  }
}
