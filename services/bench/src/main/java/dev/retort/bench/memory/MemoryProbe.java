package dev.retort.bench.memory;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.retort.bench.BenchJobs;
import dev.retort.bench.compute.FixedBatchPlan;
import dev.retort.bench.compute.StepRunner;
import dev.retort.bench.compute.SyntheticBatch;
import dev.retort.bench.wire.TeacherPayloads;
import dev.retort.core.data.Batch;
import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.EmdObjective;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.HfModule;
import dev.retort.core.run.Methods;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.TeacherOutput;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trainer whose memory the memory figure measures, run as the main class of a fresh JVM: a
 * randomly initialised student trains with BERT-EMD (the core's loop, BertAdam), and every step
 * decodes its teacher outputs from an fp16 {@link TeacherOutput} message, as the trainer service
 * does. The batches cycle through the length buckets, so the engine sees every shape over and over.
 * No teacher model is loaded: the outputs are random tensors of the teacher's shape.
 *
 * <p>Prints one JSON line per sample to standard output: {@code {"step":N,"rss_kib":R,"hwm_kib":H,
 * "seconds":S}}, first before training, then every {@code --every} steps and after the last.
 *
 * <p>Arguments: {@code --student PRESET --teacher PRESET --batch B --lengths L1,L2,.. --warmup W
 * --steps N --every K --seed S}.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  /**
   * Runs the probe.
   *
   * @param args the arguments above
   * @throws Exception if training fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = arguments(args);
    exitWithParent();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int batch = Integer.parseInt(a.get("batch"));
    List<Integer> lengths =
        java.util.Arrays.stream(a.get("lengths").split(",")).map(Integer::valueOf).toList();
    long total = Long.parseLong(a.get("warmup")) + Long.parseLong(a.get("steps"));
    int every = Integer.parseInt(a.get("every"));
    long seed = Long.parseLong(a.getOrDefault("seed", "42"));
    Torch.noGradOnThisThread();
    BertConfig tc = BertConfig.preset(a.get("teacher"));
    BertConfig sc =
        BertConfig.preset(a.get("student")).toBuilder().setVocabSize(tc.vocabSize()).build();
    try (NDManager manager = NDManager.newBaseManager()) {
      var student = new BertForSequenceClassification(sc, HeadConfig.forClassification(3));
      Torch.seed(seed);
      student.initializeParameters(manager);
      DistillationObjective objective =
          Methods.objective(
              BenchJobs.method(EmdObjective.NAME, "preset:" + a.get("teacher")),
              sc,
              tc,
              false,
              Methods.localTransport());
      for (HfModule m : objective.modules().values()) {
        m.initializeParameters(manager);
      }
      TeacherPayloads payloads = new TeacherPayloads(TensorCodec.defaults());
      Map<Integer, TeacherOutput> messages = new HashMap<>();
      List<Batch> batches = new ArrayList<>();
      for (int len : lengths) {
        batches.add(SyntheticBatch.of(batch, len, tc.vocabSize(), 3, seed + len));
        messages.put(len, message(tc, batch, len, objective.teacherSelection(), payloads, manager));
      }
      long t0 = System.nanoTime();
      sample(out, 0, t0);
      TrainingListener sampler =
          new TrainingListener() {
            @Override
            public void onStep(TrainState state, StepReport report) {
              if (state.step() % every == 0 || state.step() == total) {
                sample(out, state.step(), t0);
              }
            }
          };
      StepRunner.train(
          student,
          objective,
          new WireTeacher(messages, payloads),
          new FixedBatchPlan(batches),
          total,
          manager,
          sampler,
          seed);
    }
  }

  /**
   * Builds the fp16 message of one length from random teacher-shaped tensors, one tensor at a time,
   * so that building it does not raise the peak resident set above the trainer's own.
   */
  private static TeacherOutput message(
      BertConfig tc,
      int batch,
      int length,
      TeacherSelection sel,
      TeacherPayloads payloads,
      NDManager parent) {
    TeacherOutput.Builder b = payloads.header(sel, DType.DTYPE_FP16, length);
    for (int i = 0; i < sel.hiddenLayers().size(); i++) {
      b.addHidden(
          random(parent, new Shape(batch, length, tc.hiddenSize()), 1, payloads)); // [B, L, H]
    }
    for (int i = 0; i < sel.scoreLayers().size(); i++) {
      b.addScores(
          random(
              parent,
              new Shape(batch, tc.numHeads(), length, length),
              3,
              payloads)); // [B, A, L, L]
    }
    if (sel.logits()) {
      try (NDManager m = parent.newSubManager()) {
        b.setLogits(
            payloads.tensor(
                m.randomNormal(0, 1, new Shape(batch, 3), DataType.FLOAT32),
                DType.DTYPE_FP32)); // [B, C]
      }
    }
    return b.build();
  }

  private static dev.retort.proto.v1.Tensor random(
      NDManager parent, Shape shape, float std, TeacherPayloads payloads) {
    try (NDManager m = parent.newSubManager()) {
      return payloads.tensor(m.randomNormal(0, std, shape, DataType.FLOAT32), DType.DTYPE_FP16);
    }
  }

  private static void sample(PrintStream out, long step, long t0) {
    ProcStatus s = ProcStatus.read().orElse(new ProcStatus(-1, -1));
    out.printf(
        Locale.ROOT,
        "{\"step\":%d,\"rss_kib\":%d,\"hwm_kib\":%d,\"seconds\":%.3f}%n",
        step,
        s.rssKib(),
        s.hwmKib(),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Ends this JVM when the bench that started it is gone (killed), so that no probe is orphaned.
   */
  private static void exitWithParent() {
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent -> {
              Thread watch =
                  new Thread(
                      () -> {
                        while (parent.isAlive()) {
                          try {
                            Thread.sleep(2000);
                          } catch (InterruptedException e) {
                            return;
                          }
                        }
                        System.exit(3);
                      },
                      "parent-watch");
              watch.setDaemon(true);
              watch.start();
            });
  }

  static Map<String, String> arguments(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      m.put(args[i].substring(2), args[i + 1]);
    }
    for (String k : List.of("student", "teacher", "batch", "lengths", "warmup", "steps", "every")) {
      if (!m.containsKey(k)) {
        throw new IllegalArgumentException("missing --" + k);
      }
    }
    return m;
  }
}
