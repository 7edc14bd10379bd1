package dev.retort.trainer.job;

import dev.retort.core.RetortException;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.model.BertConfig;
import dev.retort.core.run.ModelFactory;
import dev.retort.trainer.config.TrainerConfig;

/**
 * Checks a job against the trainer's resource limits before it is accepted, so that a job that
 * cannot fit is rejected with a reason instead of being killed later by the out-of-memory killer.
 */
final class JobLimits {
  private JobLimits() {}

  static void check(ConfigValues job, TrainerConfig.Limits limits) {
    int len = job.intValue("task.max-length");
    if (len < 8 || len > limits.maxSequenceLength()) {
      throw new RetortException("key 'task.max-length'", "is " + len + "; this trainer accepts 8.." + limits.maxSequenceLength(),
          "Lower task.max-length or ask the operator to raise retort.trainer.limits.max-sequence-length");
    }
    for (String phase : new String[] {"teacher.training", "distill.training"}) {
      int batch = job.intValue(phase + ".batch-size");
      if (batch > limits.maxBatchSize()) {
        throw new RetortException("key '" + phase + ".batch-size'", "is " + batch + "; this trainer accepts at most " + limits.maxBatchSize(),
            "Lower the batch size or use grad-accumulation");
      }
      int epochs = job.intValue(phase + ".epochs");
      if (epochs > limits.maxEpochs()) {
        throw new RetortException("key '" + phase + ".epochs'", "is " + epochs + "; this trainer accepts at most " + limits.maxEpochs(), "Lower it");
      }
    }
    String preset = job.str("student.preset");
    if (!"teacher".equals(preset)) {
      long params = estimate(ModelFactory.studentSizes(job, BertConfig.preset(preset)).build());
      if (params > limits.maxParameters()) {
        throw new RetortException("key 'student'", "the student would have about " + params + " weights; this trainer accepts " + limits.maxParameters(),
            "Pick a smaller student");
      }
    }
  }

  /** Weights of a BERT encoder with pooler: embeddings + layers + pooler. */
  static long estimate(BertConfig c) {
    long h = c.hiddenSize();
    long i = c.intermediateSize();
    long emb = (long) (c.vocabSize() + c.maxPositions() + c.typeVocabSize()) * h + 2 * h;
    long layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
    return emb + c.numLayers() * layer + h * h + h;
  }
}
