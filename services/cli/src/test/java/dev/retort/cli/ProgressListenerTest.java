package dev.retort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener.StepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {
  private static TrainState at(String phase, long step, double best) {
    return new TrainState(phase, step, 0, step, 7, step * 16, best, Double.isNaN(best) ? -1 : step);
  }

  private static StepReport report(double total, long totalSteps) {
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("kd", total - 0.25);
    losses.put("pred", 0.25);
    losses.put("total", total);
    return new StepReport(losses, 1e-4, 1.0, 16, 0.1, Map.of(), totalSteps);
  }

  @Test
  void withoutATerminalItPrintsPhasesEvaluationsAndEnds() {
    StringWriter text = new StringWriter();
    try (ProgressListener p =
        new ProgressListener(new PrintWriter(text, true), false, "pkd", Map.of("distill", 40L))) {
      p.onStep(at("teacher-finetune", 1, Double.NaN), report(1.5, 4));
      p.onEvaluation(at("teacher-finetune", 2, 0.5), Map.of("acc", 0.5), 0.5, true);
      p.onStep(at("teacher-finetune", 4, 0.5), report(1.25, 4));
      p.onEvaluation(at("teacher-finetune", 4, 0.5), Map.of("acc", 0.25), 0.25, false);
      p.onStep(at("distill", 50, Double.NaN), report(0.75, 100));
    }
    assertThat(text.toString().lines())
        .containsExactly(
            "pkd/teacher-finetune: 4 steps",
            "pkd/teacher-finetune step 2/4: dev acc=0.5000 (best so far)",
            "pkd/teacher-finetune step 4/4: dev acc=0.2500",
            "pkd/teacher-finetune ended at step 4/4: loss 1.250 [kd 1.000 pred 0.2500]"
                + " · dev 0.2500 (best 0.5000)",
            "pkd/distill: resuming at step 40 of 100 steps",
            "pkd/distill ended at step 50/100: loss 0.7500 [kd 0.5000 pred 0.2500]");
  }
}
