package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.RetortException;
import dev.retort.core.distill.PredictionLoss;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.model.BertConfig;
import org.junit.jupiter.api.Test;

/** Method-dependent defaults and the checks that keep a method's schedule meaningful. */
class MethodDefaultsTest {

  private static ConfigValues job(String distill) {
    return new JobParser(JobSchema.root())
        .parse("teacher:\n  model: 'preset:tiny'\ndistill:\n" + distill, "job.yaml");
  }

  /** Student 1 and 3 against teacher 2 and 2 and gold 0 and 0: MSE 1 to the teacher, 5 to gold. */
  private static float regressionLoss(String method) {
    Torch.noGradOnThisThread();
    PredictionLoss loss = Methods.prediction(job("  method: " + method + "\n"), method, true);
    try (NDManager m = NDManager.newBaseManager()) {
      return loss.compute(
              m.create(new float[] {1, 3}, new Shape(2, 1)),
              m.create(new float[] {2, 2}, new Shape(2, 1)),
              m.create(new float[] {0, 0}))
          .total()
          .getFloat();
    }
  }

  @Test
  void tinyBertRegressesToTheGoldScoreAndBertEmdToTheTeacher() {
    assertThat(regressionLoss("tinybert")).isCloseTo(5f, within(1e-6f));
    assertThat(regressionLoss("bert-emd")).isCloseTo(1f, within(1e-6f));
  }

  /**
   * Two classes, teacher and student logits both 0 and label 1, at T = 2: the soft cross-entropy
   * averaged over B·C is ½·ln 2, the hard-label CE is ln 2.
   */
  private static double classificationLoss(String distill) {
    Torch.noGradOnThisThread();
    PredictionLoss loss =
        Methods.prediction(job("  method: bert-emd\n  temperature: 2\n" + distill), "bert-emd", false);
    try (NDManager m = NDManager.newBaseManager()) {
      return loss.compute(
              m.create(new float[] {0, 0}, new Shape(1, 2)),
              m.create(new float[] {0, 0}, new Shape(1, 2)),
              m.create(new long[] {1}))
          .total()
          .getFloat();
    }
  }

  @Test
  void bertEmdsDistillationLossScalesBySquaredTOverReduceTAndMixesTheHardLabelsByAlpha() {
    double halfLn2 = 0.5 * Math.log(2);
    assertThat(classificationLoss("")).isCloseTo(4 * halfLn2, within(1e-6));
    assertThat(classificationLoss("  emd:\n    reduce-t: 4\n")).isCloseTo(halfLn2, within(1e-6));
    assertThat(classificationLoss("  alpha: 0.5\n  emd:\n    reduce-t: 4\n"))
        .isCloseTo(0.5 * halfLn2 + 0.5 * Math.log(2), within(1e-6));
  }

  @Test
  void bertEmdsOlderSoftCrossEntropyScalesBySquaredTOverTwoAndRegressesOnTheGoldScores() {
    assertThat(classificationLoss("  emd:\n    pred-loss: soft-cross-entropy\n"))
        .isCloseTo(4 * 0.5 * Math.log(2) / 2, within(1e-6));
    Torch.noGradOnThisThread();
    PredictionLoss loss = Methods.prediction(
        job("  method: bert-emd\n  emd:\n    pred-loss: soft-cross-entropy\n"), "bert-emd", true);
    try (NDManager m = NDManager.newBaseManager()) {
      float total = loss.compute(
              m.create(new float[] {1, 3}, new Shape(2, 1)),
              m.create(new float[] {2, 2}, new Shape(2, 1)),
              m.create(new float[] {0, 0}))
          .total()
          .getFloat();
      assertThat(total).as("MSE to gold, as regressionLoss's numbers").isCloseTo(5f, within(1e-6f));
    }
  }

  @Test
  void bertEmdsOlderSoftCrossEntropyRefusesTheKeysItWouldIgnore() {
    String legacy = "  emd:\n    pred-loss: soft-cross-entropy\n";
    for (String[] c : new String[][] {
        {"  alpha: 0.5\n", "distill.alpha"},
        {"  t-squared: \"no\"\n", "distill.t-squared"},
        {"  regression-target: teacher\n", "distill.regression-target"},
        {"  emd:\n    pred-loss: soft-cross-entropy\n    reduce-t: 2\n", "distill.emd.reduce-t"}}) {
      String keys = c[0].contains("emd:") ? c[0] : c[0] + legacy;
      assertThatThrownBy(() -> Methods.checkTerms(job("  method: bert-emd\n" + keys)))
          .as(c[1])
          .isInstanceOf(RetortException.class)
          .hasMessageContaining(c[1])
          .hasMessageContaining("new_pred_loss=False");
    }
    Methods.checkTerms(job("  method: bert-emd\n  alpha: 1.0\n" + legacy));
    assertThatThrownBy(() -> Methods.checkTerms(job("  method: bert-emd\n  emd:\n    reduce-t: 0\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.emd.reduce-t")
        .hasMessageContaining("greater than 0");
  }

  @Test
  void bertEmdAndTheBaselinesTrainWithBertAdamHrkdAndEfficientBertWithAdamW() {
    for (String method : new String[] {"bert-emd", "logits-kd", "tinybert", "pkd", "none"}) {
      ConfigValues job = job("  method: " + method + "\n");
      assertThat(TrainingConfig.of(job, "distill.training", method).optimizer()).as(method).isEqualTo("bert-adam");
    }
    assertThat(TrainingConfig.of(job("  method: hrkd\n"), "distill.training", "hrkd").optimizer()).isEqualTo("adamw");
    assertThat(TrainingConfig.of(job(""), "distill.training", Methods.EFFICIENT_BERT).optimizer()).isEqualTo("adamw");
  }

  @Test
  void anEfficientBertStudentIsReportedAsEfficientBertWhateverDistillMethodSays() {
    ConfigValues plain = job("  method: tinybert\n");
    ConfigValues searched = new JobParser(JobSchema.root()).parse(
        "teacher:\n  model: 'preset:tiny'\nstudent:\n  ffn-expressions:\n"
            + "    - 'linear1_1(gelu(linear1_1(x,wb1)),wb2)'\ndistill:\n  method: tinybert\n",
        "job.yaml");
    assertThat(Methods.method(plain)).isEqualTo("tinybert");
    assertThat(Methods.method(searched)).isEqualTo(Methods.EFFICIENT_BERT);
  }

  @Test
  void twoStageIsRefusedForMethodsWithoutTinyBertsStages() {
    assertThatThrownBy(() -> Methods.checkStages(job("  method: bert-emd\n  stages: two-stage\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.stages")
        .hasMessageContaining("distill.emd.stages");
    assertThatThrownBy(() -> Methods.checkStages(job("  method: logits-kd\n  stages: two-stage\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("one stage");
    Methods.checkStages(job("  method: tinybert\n  stages: two-stage\n"));
    Methods.checkStages(job("  method: bert-emd\n  emd:\n    stages: two-stage\n"));
  }

  /** The teacher outputs a bert-emd job asks for, 4L-312 student against BERT-base. */
  private static TeacherSelection bertEmdSelection(String keys) {
    return Methods.objective(
            job("  method: bert-emd\n" + keys), BertConfig.tinyBert4L312(), BertConfig.bertBase(), false, Methods.localTransport())
        .teacherSelection();
  }

  @Test
  void bertEmdHonoursUseAttentionAndUseEmbedding() {
    assertThat(bertEmdSelection("")).isEqualTo(TeacherSelection.all(12));

    TeacherSelection noAttention = bertEmdSelection("  use-attention: false\n");
    assertThat(noAttention.scoreLayers()).isEmpty();
    assertThat(noAttention.hiddenLayers()).hasSize(13).contains(0);

    TeacherSelection noEmbedding = bertEmdSelection("  use-embedding: false\n");
    assertThat(noEmbedding.scoreLayers()).hasSize(12);
    assertThat(noEmbedding.hiddenLayers()).hasSize(12).doesNotContain(0);
  }

  @Test
  void pkdRefusesAnExplicitUseAttentionOrUseEmbeddingOfTrue() {
    assertThatThrownBy(() -> Methods.checkTerms(job("  method: pkd\n  use-attention: true\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-attention")
        .hasMessageContaining("pkd has no attention-score term")
        .hasMessageContaining("tinybert or layerwise");
    assertThatThrownBy(() -> Methods.checkTerms(job("  method: pkd\n  use-embedding: true\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-embedding")
        .hasMessageContaining("pkd has no embedding-output term");
    // A run stops there, before its teacher loads.
    assertThatThrownBy(
            () -> new JobRunner(RunEnvironment.local(java.util.List.of(), () -> false))
                .run(job("  method: pkd\n  use-attention: true\n"), "pkd"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-attention");
  }

  @Test
  void pkdAcceptsTheDefaultsAndAnExplicitFalse() {
    Methods.checkTerms(job("  method: pkd\n"));
    Methods.checkTerms(job("  method: pkd\n  use-attention: false\n  use-embedding: false\n"));
    Methods.checkTerms(job("  method: tinybert\n  use-attention: true\n"));
    Methods.checkTerms(job("  method: bert-emd\n  use-embedding: true\n"));
  }

  @Test
  void logitsKdAndNoneRefuseAnExplicitTermOfTrue() {
    assertThatThrownBy(() -> Methods.checkTerms(job("  method: logits-kd\n  use-attention: true\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-attention")
        .hasMessageContaining("logits-kd has no attention-score term");
    assertThatThrownBy(() -> Methods.checkTerms(job("  method: none\n  use-embedding: true\n")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("none has no embedding-output term");
    Methods.checkTerms(job("  method: logits-kd\n  use-attention: false\n"));
  }

  @Test
  void hrkdAndMultiDomainKdRefuseToLeaveATermOut() {
    for (String method : java.util.List.of("hrkd", "multi-domain-kd")) {
      assertThatThrownBy(() -> Methods.checkTerms(job("  method: " + method + "\n  use-attention: false\n")))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("distill.use-attention")
          .hasMessageContaining(method + " always includes its attention-score term");
      assertThatThrownBy(() -> Methods.checkTerms(job("  method: " + method + "\n  use-embedding: false\n")))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining(method + " always includes its embedding-output term");
      Methods.checkTerms(job("  method: " + method + "\n  use-attention: true\n  use-embedding: true\n"));
    }
    // A run stops there, before any teacher loads, though hrkd has a runner of its own.
    assertThatThrownBy(
            () -> new JobRunner(RunEnvironment.local(java.util.List.of(), () -> false))
                .run(job("  method: hrkd\n  use-attention: false\n"), "hrkd"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.use-attention");
  }

  @Test
  void anEfficientBertStudentRefusesToLeaveATermOutOrToTrainInTwoStages() {
    ConfigValues noEmbedding = new JobParser(JobSchema.root()).parse(
        "teacher:\n  model: 'preset:tiny'\nstudent:\n  ffn-expressions: ['gelu(linear1_1(x,wb1))']\n"
            + "distill:\n  method: tinybert\n  use-embedding: false\n",
        "job.yaml");
    assertThatThrownBy(() -> Methods.checkTerms(noEmbedding))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("an EfficientBERT student (student.ffn-expressions, or a search's candidate) always includes its"
            + " embedding-output term");
    // tinybert alone may leave it out.
    Methods.checkTerms(job("  method: tinybert\n  use-embedding: false\n"));

    ConfigValues twoStage = new JobParser(JobSchema.root()).parse(
        "teacher:\n  model: 'preset:tiny'\nstudent:\n  ffn-expressions: ['gelu(linear1_1(x,wb1))']\n"
            + "distill:\n  method: tinybert\n  stages: two-stage\n",
        "job.yaml");
    assertThatThrownBy(() -> Methods.checkStages(twoStage))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("distill.stages")
        .hasMessageContaining("student.pretrain");
    Methods.checkStages(job("  method: tinybert\n  stages: two-stage\n"));
  }

  @Test
  void hrkdRefusesTwoStagesBeforeAnyTeacherLoads() {
    assertThatThrownBy(
            () -> new JobRunner(RunEnvironment.local(java.util.List.of(), () -> false))
                .run(job("  method: hrkd\n  stages: two-stage\n"), "hrkd"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("two-stage applies to tinybert, pkd and layerwise, not to hrkd");
  }
}
