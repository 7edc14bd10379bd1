package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.RetortException;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.PlainTextCorpus;
import dev.retort.core.efficientbert.PretrainingExamples;
import dev.retort.core.efficientbert.search.KdSteps;
import dev.retort.core.efficientbert.search.KdTraining;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.BertModel;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.train.TrainState;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional first phase of an EfficientBERT distillation ({@code student.pretrain}):
 * task-agnostic pre-training KD of the freshly built student against a pre-trained encoder on a
 * plain-text corpus (methods.md 3.3: attention MSE + projected hidden MSE, no logits), the short
 * phase each search candidate gets before downstream KD (3.4). A candidate the search sends to the
 * platform therefore trains exactly as one trained in the search's own process.
 *
 * <p>The phase keeps no checkpoint of its own: it is short, and it is seeded, so a job stopped
 * during it runs it again to the same weights; a job resumed from a downstream checkpoint skips it.
 */
public final class EfficientBertPretraining {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientBertPretraining.class);

  private final ConfigValues job;
  private final PathPolicy paths;
  private final ModelFactory models;

  /**
   * Creates the phase of a job.
   *
   * @param job the job
   * @param paths where the corpus may be read from
   * @param models loads {@code student.pretrain.teacher}
   */
  EfficientBertPretraining(ConfigValues job, PathPolicy paths, ModelFactory models) {
    this.job = job;
    this.paths = paths;
    this.models = models;
  }

  /**
   * Checks a job's {@code student.pretrain} keys up front, as a service validating a request does.
   *
   * @param job the job
   * @throws RetortException for a negative step count, a learning rate that is not positive, or
   *     steps without a corpus
   */
  public static void validate(ConfigValues job) {
    long steps = job.integer("student.pretrain.steps");
    String where = job.source() + " key 'student.pretrain.";
    if (steps < 0) {
      throw new RetortException(where + "steps'", "is " + steps, "Give 0 (no pre-training KD) or a positive step count");
    }
    if (!(job.doubleValue("student.pretrain.lr") > 0)) {
      throw new RetortException(where + "lr'", "is " + job.doubleValue("student.pretrain.lr"), "Give a positive learning rate, e.g. 1e-4");
    }
    if (steps > 0 && !job.has("student.pretrain.corpus")) {
      throw new RetortException(where + "corpus'", "is required when student.pretrain.steps is " + steps,
          "Give a plain-text file (one sentence per line, blank lines between documents), or set steps to 0");
    }
  }

  /** Returns whether the job asks for the phase. */
  boolean enabled() {
    validate(job);
    return job.integer("student.pretrain.steps") > 0;
  }

  /**
   * Trains the student's encoder in place.
   *
   * @param student the student, with its initial (for example supernet-sliced) weights
   * @param teacher the task teacher: its encoder is the default pre-training teacher, its tokenizer
   *     encodes the corpus
   * @param task the task (only for loading a teacher reference)
   * @param batchSize examples per step
   * @param cancelled polled before every step
   * @param manager where the pre-training teacher's weights and the corpus live
   * @throws RetortException for a missing corpus or a teacher of the wrong shape
   * @throws JobCancelledException when cancelled during the phase
   */
  void run(
      EfficientBertStudent student, LoadedModel teacher, TaskData task, int batchSize, BooleanSupplier cancelled,
      NDManager manager) {
    validate(job);
    long steps = job.integer("student.pretrain.steps");
    long seed = job.integer("seed");
    BertModel pre = teacher.model().bert();
    String source = "the task teacher's encoder";
    if (job.has("student.pretrain.teacher")) {
      source = job.str("student.pretrain.teacher");
      LoadedModel loaded = models.load(source, "student.pretrain.teacher", task, List.of("default"), "auto",
          PooledActivation.NONE, seed, manager);
      check(loaded, teacher, student);
      pre = loaded.model().bert();
    }
    PlainTextCorpus corpus = PlainTextCorpus.read(
        paths.data(job.str("student.pretrain.corpus"), "student.pretrain.corpus"), teacher.tokenizer());
    EncodedDataset data = PretrainingExamples.builder()
        .setCorpus(corpus)
        .optMaxLength(job.intValue("task.max-length"))
        .optSeed(seed)
        .build()
        .toDataset(0);
    EfficientBertModel model = student.model();
    LOG.info("Pre-training KD: {} steps against {} on {} corpus examples", steps, source, data.size());
    TrainState end = KdTraining.run("pretrain", model,
        KdSteps.pretraining(pre, pre.config().numLayers(), model, s -> model.arch()),
        data, null, batchSize, steps, job.doubleValue("student.pretrain.lr"), seed, manager, null, 0, cancelled);
    if (end.step() < steps) {
      throw new JobCancelledException("pretrain", end.step());
    }
  }

  private void check(LoadedModel pre, LoadedModel teacher, EfficientBertStudent student) {
    String key = job.source() + " key 'student.pretrain.teacher'";
    if (!pre.tokenizerFiles().vocab().equals(teacher.tokenizerFiles().vocab())) {
      throw new RetortException(key, "its vocabulary differs from the task teacher's, which encodes the corpus",
          "Use the pre-trained model the task teacher was fine-tuned from");
    }
    var p = pre.config();
    if (p.hiddenSize() != teacher.config().hiddenSize() || p.numHeads() != student.model().arch().numHeads()) {
      throw new RetortException(key, "is " + p.hiddenSize() + " wide with " + p.numHeads() + " heads; the task teacher is "
          + teacher.config().hiddenSize() + " wide and the student has " + student.model().arch().numHeads() + " heads",
          "Use a pre-trained teacher of the task teacher's width and the student's head count (usually the model the"
              + " task teacher was fine-tuned from)");
    }
    if (p.numLayers() % student.model().arch().numLayers() != 0) {
      throw new RetortException(key, "has " + p.numLayers() + " layers, not a multiple of the student's "
          + student.model().arch().numLayers(), "Use a pre-trained teacher whose layer count the student's divides");
    }
  }
}
