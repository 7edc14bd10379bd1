package dev.retort.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.loss.EmbeddingMse;
import dev.retort.core.distill.loss.HiddenStateMse;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.train.StepTimer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code distill.use-attention} and {@code distill.use-embedding} on BERT-EMD, as the official
 * {@code use_att} / {@code use_embedding}: a switched-off term leaves the loss, its transport
 * problem and the teacher outputs it would read.
 *
 * <p>One student layer (M = 1) against two teacher layers (N = 2), {@code [B=1, L=1, H=2]} states
 * and {@code [B=1, A=1, 1, 1]} scores, no projection, β = 0.01, θ = 1. With M = 1 the flow is the
 * teacher weights, ½ and ½, so every term is worked out by hand:
 *
 * <pre>
 *   hid: student layer 1 (0, 1) vs teacher (2, 1) and (0, 2): D = [2, 0.5],  L_hid = 1.25
 *   att: student score 3 vs teacher 1 and 4:                   D = [4, 1],    L_att = 2.5
 *   emb: student (1, 2) vs teacher (1, 0):                                    L_emb = 2
 * </pre>
 */
class EmdTermSwitchesTest {
  private static final double BETA = 0.01;

  private NDManager m;

  @BeforeEach
  void open() {
    Torch.noGradOnThisThread();
    m = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    m.close();
  }

  private NDArray state(float... v) {
    return m.create(v, new Shape(1, 1, v.length)); // [B, L, H]
  }

  private NDArray score(float v) {
    return m.create(new float[] {v}, new Shape(1, 1, 1, 1)); // [B, A, L, L]
  }

  private BertOutputs student() {
    return new BertOutputs(
        List.of(state(1, 2), state(0, 1)), List.of(score(3)), List.of(), null, null, logits(0.5f, -0.5f));
  }

  private NDArray logits(float a, float b) {
    return m.create(new float[] {a, b}, new Shape(1, 2)); // [B, C]
  }

  /** The teacher outputs, with hidden state 0 and the scores only when asked for. */
  private TeacherOutputs teacher(boolean embeddings, boolean scores) {
    Map<Integer, NDArray> hidden = new HashMap<>(Map.of(1, state(2, 1), 2, state(0, 2)));
    if (embeddings) {
      hidden.put(0, state(1, 0));
    }
    Map<Integer, NDArray> att = scores ? Map.of(1, score(1), 2, score(4)) : Map.of();
    return new TeacherOutputs(hidden, att, logits(0.1f, 0.2f));
  }

  private static PredictionLoss prediction() {
    return new PredictionLoss(false, 1f, new SoftCrossEntropy(1f, true, 1f), PredictionLoss.RegressionTarget.TEACHER);
  }

  private static EmdObjective objective(boolean useEmbedding, boolean useAttention) {
    return new EmdObjective(
        new HiddenProjection(HiddenProjection.Mode.NONE, 2, 2, 1, 0.02f),
        new LocalTransportBackend(CostAttention.create()),
        prediction(),
        BETA,
        1.0,
        1,
        2,
        useEmbedding,
        useAttention);
  }

  private LossBreakdown loss(EmdObjective o, TeacherOutputs teacher) {
    return o.compute(new ParameterStore(m, false), student(), teacher, null, Phase.JOINT, 0, new StepTimer());
  }

  private float pred() {
    return prediction().compute(logits(0.5f, -0.5f), logits(0.1f, 0.2f), null).total().getFloat();
  }

  @Test
  void withoutAttentionTheLossIsTheHiddenEmbeddingAndPredictionTermsAlone() {
    // The teacher sends no scores: reading one would throw.
    LossBreakdown l = loss(objective(true, false), teacher(true, false));

    assertThat(l.values()).containsOnlyKeys("emb", "hid", "pred");
    assertThat(l.values().get("hid")).isCloseTo(1.25, within(1e-6));
    assertThat(l.values().get("emb")).isCloseTo(2.0, within(1e-6));
    // The same sum from the term classes: flow ½ to each teacher layer.
    var hidMse = new HiddenStateMse();
    float hid = 0.5f * hidMse.compute(state(0, 1), state(2, 1)).getFloat()
        + 0.5f * hidMse.compute(state(0, 1), state(0, 2)).getFloat();
    float emb = new EmbeddingMse().compute(state(1, 2), state(1, 0)).getFloat();
    assertThat(hid).isCloseTo(1.25f, within(1e-6f));
    assertThat(l.total().getFloat()).isCloseTo((float) (BETA * (hid + emb)) + pred(), within(1e-6f));
  }

  @Test
  void withoutTheEmbeddingTermTheLossIsTheTwoEmdsAndThePrediction() {
    // The teacher sends no embedding output: reading it would throw.
    LossBreakdown l = loss(objective(false, true), teacher(false, true));

    assertThat(l.values()).containsOnlyKeys("hid", "att", "pred");
    assertThat(l.values().get("att")).isCloseTo(2.5, within(1e-6));
    assertThat(l.total().getFloat()).isCloseTo((float) (BETA * (1.25 + 2.5)) + pred(), within(1e-6f));
  }

  @Test
  void withBothOffOnlyTheHiddenEmdAndThePredictionRemain() {
    LossBreakdown l = loss(objective(false, false), teacher(false, false));

    assertThat(l.values()).containsOnlyKeys("hid", "pred");
    assertThat(l.total().getFloat()).isCloseTo((float) (BETA * 1.25) + pred(), within(1e-6f));
  }

  @Test
  void withEveryTermOnTheLossIsTheOfficialSum() {
    LossBreakdown l = loss(objective(true, true), teacher(true, true));

    assertThat(l.values()).containsOnlyKeys("emb", "hid", "att", "pred");
    assertThat(l.total().getFloat()).isCloseTo((float) (BETA * (1.25 + 2.5 + 2)) + pred(), within(1e-6f));
  }

  @Test
  void theTeacherIsAskedOnlyForWhatTheSwitchedOnTermsRead() {
    TeacherSelection noAttention = objective(true, false).teacherSelection();
    assertThat(noAttention.scoreLayers()).isEmpty();
    assertThat(noAttention.hiddenLayers()).containsExactly(0, 1, 2);

    TeacherSelection noEmbedding = objective(false, true).teacherSelection();
    assertThat(noEmbedding.scoreLayers()).containsExactly(1, 2);
    assertThat(noEmbedding.hiddenLayers()).containsExactly(1, 2);

    assertThat(objective(true, true).teacherSelection()).isEqualTo(TeacherSelection.all(2));
  }

  @Test
  void withoutAttentionTheLayerWeightsFollowTheHiddenEmdAveragedWithTheUnchangedAttentionWeights() {
    // Hidden EMD: teacher costs c = ½·[2, 0.5], per unit of weight C̄ = [2, 0.5], ŵ = 2.5 / C̄ =
    // [1.25, 5], normalised [0.2, 0.8]; averaged with the attention weights it did not touch,
    // [0.5, 0.5]: [0.35, 0.65]. The scores are there but not read.
    EmdObjective o = objective(true, false);
    loss(o, teacher(true, true));
    o.afterStep(0);
    assertThat(o.weights().teacherHid()).containsExactly(new double[] {0.35, 0.65}, within(1e-12));
    assertThat(o.weights().teacherAtt()).containsExactly(new double[] {0.35, 0.65}, within(1e-12));
    assertThat(o.weights().studentHid()).containsExactly(new double[] {1.0}, within(1e-12));
    assertThat(o.lastSolution().attention()).isNull();

    // With attention the attention EMD moves its weights too (D = [4, 1] gives [0.2, 0.8] as well).
    EmdObjective both = objective(true, true);
    loss(both, teacher(true, true));
    both.afterStep(0);
    assertThat(both.weights().teacherHid()).containsExactly(new double[] {0.2, 0.8}, within(1e-12));
  }
}
