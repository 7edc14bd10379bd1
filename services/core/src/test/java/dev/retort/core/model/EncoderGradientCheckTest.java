package dev.retort.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.Torch;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks autograd through the whole encoder and head against central finite differences, in
 * float64 on a tiny model without dropout.
 */
class EncoderGradientCheckTest {

  private static final int[][] IDS = {{101, 7592, 2088, 102, 0, 0}, {101, 2023, 102, 2003, 1037, 102}};
  private static final int[][] TYPES = {{0, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 1}};
  private static final int[][] MASK = {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}};

  @Test
  void everyParameterGradientMatchesFiniteDifferences() {
    Torch.noGradOnThisThread();
    Engine.getInstance().setRandomSeed(11);
    BertConfig c = BertConfig.tiny().withDropout(0f).withGelu(Gelu.TANH);
    try (NDManager manager = NDManager.newBaseManager()) {
      var head = new HeadConfig(3, false, java.util.List.of("default"), PooledActivation.NONE, 0f);
      var model = new BertForSequenceClassification(c, head);
      model.initializeParameters(manager, DataType.FLOAT64);
      // Fixed random projections turn every output into one scalar that depends on all of them.
      NDArray rLogits = manager.randomNormal(0, 1, new ai.djl.ndarray.types.Shape(2, 3), DataType.FLOAT64);
      NDArray rHidden = manager.randomNormal(0, 1, new ai.djl.ndarray.types.Shape(2, 6, 32), DataType.FLOAT64);
      NDArray rScores = manager.randomNormal(0, 1, new ai.djl.ndarray.types.Shape(2, 4, 6, 6), DataType.FLOAT64);

      // Analytic gradients.
      Map<String, Parameter> params = model.namedParameters();
      try (GradientCollector gc = manager.getEngine().newGradientCollector();
          NDManager step = manager.newSubManager()) {
        gc.backward(loss(model, step, rLogits, rHidden, rScores));
      }

      Random rnd = new Random(5);
      int checked = 0;
      double worst = 0;
      for (var e : params.entrySet()) {
        NDArray w = e.getValue().getArray();
        NDArray grad = w.getGradient();
        long n = w.size();
        for (int k = 0; k < 3; k++) {
          long flat = pickIndex(e.getKey(), w, rnd);
          long[] idx = unravel(flat, w.getShape().getShape());
          double analytic = grad.getDouble(idx);
          double orig = w.getDouble(idx);
          double eps = 1e-5;
          setEntry(w, idx, orig + eps);
          double up = scalar(model, manager, rLogits, rHidden, rScores);
          setEntry(w, idx, orig - eps);
          double down = scalar(model, manager, rLogits, rHidden, rScores);
          setEntry(w, idx, orig);
          double numeric = (up - down) / (2 * eps);
          double err = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric));
          worst = Math.max(worst, err);
          assertThat(err)
              .as("%s%s analytic %.9g numeric %.9g (numel %d)", e.getKey(), java.util.Arrays.toString(idx), analytic, numeric, n)
              .isLessThan(1e-5);
          checked++;
        }
        grad.close();
      }
      assertThat(checked).isEqualTo(3 * params.size());
    }
  }

  /** Writes one float64 entry exactly (a Number overload would round through float32). */
  private static void setEntry(NDArray w, long[] idx, double v) {
    try (NDManager tmp = w.getManager().newSubManager()) {
      w.set(new NDIndex(idx), tmp.create(v));
    }
  }

  private static long[] unravel(long flat, long[] shape) {
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** Picks an entry that influences the output: word embedding rows of tokens that occur. */
  private static long pickIndex(String name, NDArray w, Random rnd) {
    if (name.endsWith("word_embeddings.weight")) {
      int[] used = {101, 7592, 2088, 102, 2023, 2003, 1037};
      long row = used[rnd.nextInt(used.length)];
      return row * w.getShape().get(1) + rnd.nextInt((int) w.getShape().get(1));
    }
    if (name.endsWith("position_embeddings.weight")) {
      return rnd.nextInt(6 * (int) w.getShape().get(1));
    }
    return (long) (rnd.nextDouble() * w.size());
  }

  private static double scalar(
      BertForSequenceClassification model, NDManager manager, NDArray rl, NDArray rh, NDArray rs) {
    try (NDManager step = manager.newSubManager()) {
      return loss(model, step, rl, rh, rs).getDouble();
    }
  }

  private static NDArray loss(
      BertForSequenceClassification model, NDManager step, NDArray rl, NDArray rh, NDArray rs) {
    BertInput in = BertInput.of(step, IDS, TYPES, MASK);
    BertOutputs out = model.forward(new ParameterStore(step, false), in, Taps.DISTILLATION, true);
    NDArray l = out.logits().mul(rl).sum();
    l = l.add(out.hiddenStates().get(1).mul(rh).sum());
    // Masked scores carry -10000 on padded keys; the masking rule of the attention loss drops them.
    NDArray s = out.attentionScores().get(0);
    l = l.add(s.mul(s.gt(-100)).mul(rs).sum().mul(0.1));
    return l;
  }
}
