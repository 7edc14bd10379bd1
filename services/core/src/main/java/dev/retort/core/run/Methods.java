package dev.retort.core.run;

import dev.retort.core.RetortException;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.EmdObjective;
import dev.retort.core.distill.FineTuneObjective;
import dev.retort.core.distill.HiddenProjection;
import dev.retort.core.distill.LayerMapping;
import dev.retort.core.distill.LayerwiseObjective;
import dev.retort.core.distill.LogitsKdObjective;
import dev.retort.core.distill.PredictionLoss;
import dev.retort.core.distill.TermWeights;
import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.emd.TransportBackend;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.model.BertConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a job's single-domain distillation objective from its {@code distill} section, resolving
 * the {@code auto} defaults that depend on the method. HRKD is built by {@code HrkdRunner}.
 */
public final class Methods {
  /** The methods without attention-score or embedding-output terms, and what their loss is. */
  private static final Map<String, String> TERMLESS = Map.of(
      "pkd", "the soft cross-entropy plus the patient [CLS] distance",
      "logits-kd", "the soft cross-entropy on the logits, mixed with the hard-label loss when alpha < 1",
      "none", "the hard-label loss: no teacher");

  private Methods() {}

  /** Returns whether the method trains on several domains at once (HRKD and its ablation). */
  public static boolean multiDomain(String method) {
    return method.equals("hrkd") || method.equals("multi-domain-kd");
  }

  /**
   * Returns whether a job's distillation losses average over token positions: the attention and
   * hidden-state MSEs of bert-emd, tinybert, layerwise, hrkd, multi-domain-kd and EfficientBERT
   * students ({@code student.ffn-expressions}). Their official code pads every batch to the maximum
   * length and counts the pads in those means, so such a job pads to {@code task.max-length} unless
   * it sets {@code task.buckets}. The other methods read only [CLS] or the logits.
   */
  public static boolean positionLosses(ConfigValues job) {
    if (job.has("student.ffn-expressions")) {
      return true;
    }
    return switch (job.str("distill.method")) {
      case "bert-emd", "tinybert", "layerwise", "hrkd", "multi-domain-kd" -> true;
      default -> false;
    };
  }

  /**
   * Throws when {@code distill.stages: two-stage} is set for a method without TinyBERT's two
   * stages: bert-emd has its own {@code distill.emd.stages}, and none, logits-kd, hrkd and
   * multi-domain-kd have only a prediction or a joint loss, so their "intermediate stage" would
   * silently train on the prediction loss for twice the epochs. An EfficientBERT student
   * ({@code student.ffn-expressions}) has one downstream stage whatever its method.
   *
   * @param job the job
   */
  public static void checkStages(ConfigValues job) {
    checkStages(job, job.has("student.ffn-expressions"));
  }

  /**
   * {@link #checkStages(ConfigValues)} for a job whose students are EfficientBERT students, or
   * not, whatever it says: a search's candidates are, though the search job names no expressions.
   *
   * @param job the job
   * @param efficientBert whether the job trains EfficientBERT students
   */
  public static void checkStages(ConfigValues job, boolean efficientBert) {
    String method = job.str("distill.method");
    if ("two-stage".equals(job.str("distill.stages")) && efficientBert) {
      throw new RetortException(
          job.source() + " key 'distill.stages'",
          "an EfficientBERT student (student.ffn-expressions, or a search's candidate) distils in one stage,"
              + " L_attn + L_ffn + L_pred, whatever distill.method says",
          "Remove distill.stages; for EfficientBERT's pre-training KD before the downstream KD set student.pretrain");
    }
    if ("two-stage".equals(job.str("distill.stages")) && !List.of("tinybert", "pkd", "layerwise").contains(method)) {
      throw new RetortException(
          job.source() + " key 'distill.stages'",
          "two-stage applies to tinybert, pkd and layerwise, not to " + method,
          "bert-emd".equals(method)
              ? "For BERT-EMD's two-stage schedule set distill.emd.stages: two-stage instead"
              : "Remove distill.stages (" + method + " trains in one stage)");
    }
  }

  /**
   * Throws when a job sets {@code distill.use-attention} or {@code distill.use-embedding} to a value
   * its loss cannot honour, so that no job trains without a term it asks for, or with one it turned
   * off. Only a value the job sets is checked; the keys' default (true) is read by tinybert,
   * layerwise and bert-emd and ignored by the others. It also throws when a bert-emd job's
   * prediction-loss keys ({@code distill.emd.pred-loss}, {@code distill.emd.reduce-t}) conflict.
   *
   * <ul>
   *   <li>pkd, logits-kd and none have no attention-score or embedding-output term: true is refused.
   *   <li>hrkd, multi-domain-kd and EfficientBERT students ({@code student.ffn-expressions}) always
   *       include both, as their official code, which has no switch for them: false is refused.
   * </ul>
   *
   * @param job the job
   */
  public static void checkTerms(ConfigValues job) {
    checkTerms(job, job.has("student.ffn-expressions"));
  }

  /**
   * {@link #checkTerms(ConfigValues)} for a job whose students are EfficientBERT students, or not,
   * whatever it says: a search's candidates are, though the search job names no expressions.
   *
   * @param job the job
   * @param efficientBert whether the job trains EfficientBERT students
   */
  public static void checkTerms(ConfigValues job, boolean efficientBert) {
    String method = job.str("distill.method");
    for (String key : List.of("distill.use-attention", "distill.use-embedding")) {
      if (!job.isSet(key)) {
        continue;
      }
      String term = key.endsWith("attention") ? "attention-score" : "embedding-output";
      String where = job.source() + " key '" + key + "'";
      boolean on = job.bool(key);
      if (!on && (efficientBert || multiDomain(method))) {
        String who = efficientBert
            ? "an EfficientBERT student (student.ffn-expressions, or a search's candidate)" : method;
        throw new RetortException(where,
            who + " always includes its " + term + " term, as its official code, which has no switch for it",
            "Remove " + key + " from the job, or use bert-emd, tinybert or layerwise, which can leave the term"
                + " out");
      }
      if (on && !efficientBert && TERMLESS.containsKey(method)) {
        throw new RetortException(where,
            method + " has no " + term + " term to include (its loss is " + TERMLESS.get(method) + ")",
            "Remove " + key + " from the job, or use tinybert or layerwise (distill.mapping.kind: pkd-skip keeps"
                + " PKD's layers) for a loss with " + term + " terms");
      }
    }
    if ("bert-emd".equals(method) && !efficientBert) {
      if ("soft-cross-entropy".equals(job.str("distill.emd.pred-loss"))) {
        checkSoftCrossEntropy(job);
      } else {
        reduceT(job);
      }
    }
  }

  /** The method name under which an EfficientBERT student's training settings resolve. */
  public static final String EFFICIENT_BERT = "efficientbert";

  /**
   * Returns the method a job distils with, as results, events and metrics name it: {@link
   * #EFFICIENT_BERT} for an EfficientBERT student ({@code student.ffn-expressions}), which trains
   * with EfficientBERT's own KD whatever {@code distill.method} says, else {@code distill.method}.
   */
  public static String method(ConfigValues job) {
    return job.has("student.ffn-expressions") ? EFFICIENT_BERT : job.str("distill.method");
  }

  /**
   * Resolves {@code distill.training.optimizer: auto}: AdamW for HRKD and EfficientBERT, as their
   * code; BertAdam for BERT-EMD and the baselines, which the BERT-EMD script (and TinyBERT's and
   * PKD's code) train with it.
   */
  public static String optimizer(String method, String configured) {
    if (!"auto".equals(configured)) {
      return configured;
    }
    return multiDomain(method) || EFFICIENT_BERT.equals(method) ? "adamw" : "bert-adam";
  }

  /** Resolves {@code distill.t-squared: auto}: the BERT-EMD code scales by T², HRKD does not. */
  public static boolean tSquared(ConfigValues job, String method) {
    String v = job.str("distill.t-squared");
    if ("auto".equals(v)) {
      return !multiDomain(method);
    }
    return "yes".equals(v);
  }

  /**
   * Builds the prediction loss of a job. For bert-emd, {@code distill.emd.pred-loss} picks between
   * the official code's two losses (its {@code new_pred_loss} flag, {@code emd_task_distill.py}):
   * {@code distillation_loss} (default) with its {@code reduce_T} divisor, or the older
   * {@code soft_cross_entropy}, which divides by 2, has no hard-label term and regresses on the
   * gold scores.
   */
  public static PredictionLoss prediction(ConfigValues job, String method, boolean regression) {
    float t = (float) job.doubleValue("distill.temperature");
    if ("bert-emd".equals(method) && "soft-cross-entropy".equals(job.str("distill.emd.pred-loss"))) {
      checkSoftCrossEntropy(job);
      return new PredictionLoss(
          regression, 1f, new SoftCrossEntropy(t, true, 2f), PredictionLoss.RegressionTarget.GOLD);
    }
    float divisor = "bert-emd".equals(method) ? reduceT(job) : 1f;
    var soft = new SoftCrossEntropy(t, tSquared(job, method), divisor);
    String configured = job.str("distill.regression-target");
    boolean gold = "gold".equals(configured) || ("auto".equals(configured) && "tinybert".equals(method));
    var target = gold ? PredictionLoss.RegressionTarget.GOLD : PredictionLoss.RegressionTarget.TEACHER;
    return new PredictionLoss(regression, (float) job.doubleValue("distill.alpha"), soft, target);
  }

  /** Reads {@code distill.emd.reduce-t}, which must be positive. */
  private static float reduceT(ConfigValues job) {
    double r = job.doubleValue("distill.emd.reduce-t");
    if (!(r > 0)) {
      throw new RetortException(job.source() + " key 'distill.emd.reduce-t'",
          "reduce-t divides the soft loss and must be greater than 0, got " + r,
          "Set it to 1 (the official default) or another positive number");
    }
    return (float) r;
  }

  /**
   * Throws when a job with {@code distill.emd.pred-loss: soft-cross-entropy} sets a key that loss
   * ignores to a value it cannot honour: the official {@code soft_cross_entropy} always scales by
   * T²/2, has no hard-label term and regresses on the gold scores.
   */
  private static void checkSoftCrossEntropy(ConfigValues job) {
    String why = "distill.emd.pred-loss: soft-cross-entropy is the official new_pred_loss=False loss, ";
    String fix = "Remove the key, or set distill.emd.pred-loss: distillation";
    if (job.isSet("distill.alpha") && job.doubleValue("distill.alpha") != 1.0) {
      throw new RetortException(job.source() + " key 'distill.alpha'",
          why + "which has no hard-label term to weigh: alpha " + job.doubleValue("distill.alpha")
              + " cannot apply", fix);
    }
    if ("no".equals(job.str("distill.t-squared"))) {
      throw new RetortException(job.source() + " key 'distill.t-squared'",
          why + "which always multiplies by T²/2", fix);
    }
    if ("teacher".equals(job.str("distill.regression-target"))) {
      throw new RetortException(job.source() + " key 'distill.regression-target'",
          why + "which regresses on the gold scores", fix);
    }
    if (job.isSet("distill.emd.reduce-t")) {
      throw new RetortException(job.source() + " key 'distill.emd.reduce-t'",
          why + "which divides by 2, not by reduce-t", fix);
    }
  }

  /** Resolves {@code distill.projection}. */
  public static HiddenProjection projection(ConfigValues job, String method, BertConfig student, BertConfig teacher) {
    String p = job.str("distill.projection");
    HiddenProjection.Mode mode =
        switch (p) {
          case "shared" -> HiddenProjection.Mode.SHARED;
          case "per-layer" -> HiddenProjection.Mode.PER_LAYER;
          case "none" -> HiddenProjection.Mode.NONE;
          // The BERT-EMD and TinyBERT code project every student state, 768 → 768 included.
          default -> multiDomain(method)
              ? HiddenProjection.Mode.PER_LAYER
              : "pkd".equals(method) && student.hiddenSize() == teacher.hiddenSize()
                  ? HiddenProjection.Mode.NONE
                  : HiddenProjection.Mode.SHARED;
        };
    if (mode == HiddenProjection.Mode.NONE && student.hiddenSize() != teacher.hiddenSize()) {
      throw new RetortException(
          job.source() + " key 'distill.projection'",
          "none is impossible: the student is " + student.hiddenSize() + " wide and the teacher " + teacher.hiddenSize(),
          "Use shared or per-layer");
    }
    return new HiddenProjection(mode, student.hiddenSize(), teacher.hiddenSize(), student.numLayers(), teacher.initializerRange());
  }

  /**
   * Builds the objective of a single-domain method.
   *
   * @param job the job
   * @param student the student's shape
   * @param teacher the teacher's shape
   * @param regression whether the task is regression
   * @param transport how BERT-EMD's transport problems are solved (in-process or remote); called
   *     with the cost-attention rule
   * @return the objective
   */
  public static DistillationObjective objective(
      ConfigValues job, BertConfig student, BertConfig teacher, boolean regression,
      Function<CostAttention, TransportBackend> transport) {
    String method = job.str("distill.method");
    switch (method) {
      case "none":
        return new FineTuneObjective(regression);
      case "logits-kd":
        return new LogitsKdObjective(prediction(job, method, regression));
      case "tinybert":
      case "pkd":
      case "layerwise":
        return layerwise(job, method, student, teacher, regression);
      case "bert-emd":
        boolean attention = distilsAttention(job);
        if (attention) {
          checkHeads(job, student.numHeads(), teacher.numHeads());
        }
        return new EmdObjective(
            projection(job, method, student, teacher),
            transport.apply(costAttention(job)),
            prediction(job, method, regression),
            job.doubleValue("distill.emd.beta"),
            job.doubleValue("distill.emd.theta"),
            student.numLayers(),
            teacher.numLayers(),
            job.bool("distill.use-embedding"),
            attention);
      default:
        throw new IllegalStateException("method " + method + " is built elsewhere");
    }
  }

  /** The in-process transport backend factory. */
  public static Function<CostAttention, TransportBackend> localTransport() {
    return LocalTransportBackend::new;
  }

  /** Builds the cost-attention rule of a job. */
  public static CostAttention costAttention(ConfigValues job) {
    return CostAttention.builder()
        .optNormalisation("v2020-softmax".equals(job.str("distill.emd.weight-update"))
            ? CostAttention.Normalisation.V2020_SOFTMAX : CostAttention.Normalisation.V2022_SUM)
        .optTemperature(job.doubleValue("distill.emd.t-emd"))
        .optSeparate(job.bool("distill.emd.separate"))
        .optGuard("official".equals(job.str("distill.emd.guard")) ? CostAttention.Guard.OFFICIAL : CostAttention.Guard.SAFE)
        .build();
  }

  private static DistillationObjective layerwise(ConfigValues job, String method, BertConfig student, BertConfig teacher, boolean regression) {
    LayerMapping mapping = layerMapping(job, method, student.numLayers(), teacher.numLayers());
    String hl = job.str("distill.hidden-loss");
    LayerwiseObjective.HiddenLoss hidden =
        "patient".equals(hl) || ("auto".equals(hl) && "pkd".equals(method))
            ? LayerwiseObjective.HiddenLoss.PATIENT : LayerwiseObjective.HiddenLoss.MSE;
    double hidWeight = job.has("distill.weights.hid") ? job.doubleValue("distill.weights.hid")
        : hidden == LayerwiseObjective.HiddenLoss.PATIENT ? 100.0 : 1.0;
    boolean attention = distilsAttention(job);
    if (attention) {
      checkHeads(job, student.numHeads(), teacher.numHeads());
    }
    TermWeights w = new TermWeights(
        job.doubleValue("distill.weights.emb"), hidWeight, job.doubleValue("distill.weights.att"), job.doubleValue("distill.weights.pred"));
    return new LayerwiseObjective(
        method, mapping, projection(job, method, student, teacher), w, hidden,
        job.bool("distill.use-embedding") && !"pkd".equals(method), attention, prediction(job, method, regression));
  }

  /**
   * Returns the student-to-teacher layer mapping of a tinybert, layerwise or pkd job ({@code
   * distill.mapping}; auto is pkd-skip for pkd and uniform for the others).
   *
   * @param job the job
   * @param method its method
   * @param m the student's layers
   * @param n the teacher's layers
   * @return the mapping
   * @throws RetortException if the mapping does not fit the layer counts
   */
  static LayerMapping layerMapping(ConfigValues job, String method, int m, int n) {
    String kind = mappingKind(job, method);
    return switch (kind) {
      case "uniform" -> LayerMapping.uniform(m, n);
      case "pkd-skip" -> LayerMapping.pkdSkip(m, n);
      case "pkd-last" -> LayerMapping.pkdLast(m, n);
      case "explicit" -> {
        List<Long> layers = job.integers("distill.mapping.layers");
        if (layers == null) {
          throw new RetortException(job.source() + " key 'distill.mapping.layers'", "is required for mapping kind explicit", "List one teacher layer per student layer");
        }
        yield LayerMapping.explicit(layers.stream().map(Long::intValue).toList(), m, n);
      }
      default -> throw new IllegalStateException(kind);
    };
  }

  /** Returns {@code distill.mapping.kind} with auto resolved: pkd-skip for pkd, else uniform. */
  static String mappingKind(ConfigValues job, String method) {
    String kind = job.str("distill.mapping.kind");
    return "auto".equals(kind) ? ("pkd".equals(method) ? "pkd-skip" : "uniform") : kind;
  }

  /**
   * Returns whether a single-domain job distils attention maps, which needs student and teacher
   * to have the same head count: for bert-emd, tinybert and layerwise unless {@code
   * distill.use-attention} is false, never for pkd and the others.
   */
  public static boolean distilsAttention(ConfigValues job) {
    return switch (job.str("distill.method")) {
      case "bert-emd", "tinybert", "layerwise" -> job.bool("distill.use-attention");
      default -> false;
    };
  }

  /**
   * Throws when attention distillation would compare maps of different head counts.
   *
   * @param job the job, for the error's location
   * @param student the student's head count
   * @param teacher the teacher's head count
   */
  static void checkHeads(ConfigValues job, int student, int teacher) {
    if (student != teacher) {
      throw new RetortException(
          job.source() + " key 'student.heads'",
          "attention distillation needs equal head counts: the student has " + student + ", the teacher " + teacher,
          "Give the student " + teacher + " heads, or set distill.use-attention false");
    }
  }
}
