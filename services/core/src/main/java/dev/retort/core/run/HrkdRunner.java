package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.data.DomainSplits;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.data.MultiDomainSampler;
import dev.retort.core.data.MultiDomainStep;
import dev.retort.core.distill.HiddenProjection;
import dev.retort.core.distill.LayerMapping;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.distill.TeacherSource;
import dev.retort.core.distill.hrkd.GraphBackend;
import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.distill.hrkd.HrkdObjective;
import dev.retort.core.distill.hrkd.LocalGraphBackend;
import dev.retort.core.distill.loss.SoftCrossEntropy;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.TaskData;
import dev.retort.core.job.TaskResolver;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs HRKD (and its ablation without the graph, multi-domain KD) on multi-domain data: a
 * multi-domain teacher with one head per domain (best checkpoint kept per domain), then the
 * student with per-layer projections and one head per domain, distilled from each domain's best
 * teacher, with the best student kept per domain and tested on that domain.
 */
final class HrkdRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RunEnvironment env;

  HrkdRunner(RunEnvironment env) {
    this.env = env;
  }

  JobResult run(ConfigValues job, String name) throws IOException {
    Torch.noGradOnThisThread();
    String method = job.str("distill.method");
    TaskData task = new TaskResolver(env.paths()).resolve(job);
    if (task.multiDomain() == null || task.domains().size() < 2) {
      throw new RetortException(job.source() + " key 'distill.method'", method + " needs data with at least two domains",
          "Use task.format sample, mnli-genres or amazon, or a table with a domain column");
    }
    // Before the teachers load (and perhaps fine-tune for hours): training keys that cannot work.
    TrainingConfig.of(job, "distill.training", method);
    List<String> domains = task.domains();
    Path runDir = new JobRunner(env).runDir(job, name);
    Files.createDirectories(runDir);
    JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("job.json").toFile(), job.asTree());
    long seed = job.integer("seed");
    ModelFactory factory = new ModelFactory(env.paths(), env.loadOptions());
    try (NDManager tm = NDManager.newBaseManager(); NDManager sm = NDManager.newBaseManager()) {
      LoadedModel teacher = factory.teacher(job, task, domains, tm);
      EncodedTask enc = EncodedTask.of(job, teacher.tokenizer(), domains);
      List<EncodedDataset> trains = new ArrayList<>();
      List<EncodedDataset> devs = new ArrayList<>();
      List<EncodedDataset> tests = new ArrayList<>();
      for (DomainSplits s : task.multiDomain().splits()) {
        trains.add(enc.encode(s.train()));
        devs.add(enc.encode(s.dev()));
        tests.add(enc.encode(s.test()));
      }
      Evaluator evaluator = new Evaluator(task.metric(), 64, enc.buckets());
      int fit = job.has("task.fit-domain") ? domains.indexOf(job.str("task.fit-domain")) : 0;
      if (fit < 0) {
        throw new RetortException(job.source() + " key 'task.fit-domain'", "unknown domain " + job.str("task.fit-domain"), "Use one of " + domains);
      }
      List<LoadedModel> teachers = new ArrayList<>();
      List<Path> teacherDirs = new ArrayList<>();
      Path teacherDir = runDir.resolve("teacher");
      if (job.bool("teacher.finetune")) {
        PerDomainBest best = new PerDomainBest(teacherDir.resolve("best-per-domain"), domains);
        if (!Files.exists(teacherDir.resolve("done"))) {
          TrainingConfig tc = TrainingConfig.of(job, "teacher.training", "none");
          LoadedModel t = teacher;
          teacher.model().namedParameters().values().forEach(p -> p.freeze(false));
          new PhaseTrainer<MultiDomainStep>(
              "teacher-finetune", teacher, Map.of(), new MultiDomainFineTuneStep(teacher.model()),
              plan(trains, fit, tc, enc, seed), tc, new CheckpointStore(teacherDir.resolve("checkpoints"), 2),
              teacherDir.resolve("best"), JobRunner.noState(), state -> best.evaluate(t, devs, evaluator, tm),
              env.listeners(), env.cancelled(), seed, Map.of()).run(tm);
          Files.writeString(teacherDir.resolve("done"), "");
        }
        for (String d : domains) {
          teachers.add(ModelDirectory.read(best.model(d), tm));
          teacherDirs.add(best.model(d));
        }
      } else {
        Path dir = TeacherHandover.handOver(teacher, runDir, JobRunner.sharedTeachers(env));
        for (String d : domains) {
          teachers.add(teacher);
          teacherDirs.add(dir);
        }
      }
      // Its latency is measured at the end, beside the student's.
      ModelScore teacherScore = score("teacher", teachers, devs, tests, evaluator, tm, domains, List.of());

      LoadedModel student = factory.student(job, task, teachers.get(0), domains, sm);
      int m = student.config().numLayers();
      int n = teacher.config().numLayers();
      LayerMapping.uniform(m, n); // checks that M divides N
      HiddenProjection projection = Methods.projection(job, method, student.config(), teacher.config());
      Torch.seed(seed + 2);
      projection.initializeParameters(sm);
      TrainingConfig tc = TrainingConfig.of(job, "distill.training", method);
      GraphBackend graph = null;
      if ("hrkd".equals(method)) {
        double graphLr = job.has("distill.hrkd.graph-lr") ? job.doubleValue("distill.hrkd.graph-lr") : tc.lr();
        long total = tc.totalSteps(plan(trains, fit, tc, enc, seed).batchesPerEpoch());
        graph = env.graphs().apply(new GraphOptions(
            "trained".equals(job.str("distill.hrkd.graph")), job.bool("distill.hrkd.hierarchical"),
            job.intValue("distill.hrkd.heads"), (float) job.doubleValue("distill.hrkd.graph-dropout"),
            (float) job.doubleValue("distill.hrkd.leaky-relu"), graphLr, tc.weightDecay(), total, tc.warmup(),
            seed, m + 1, domains.size(), teacher.config().hiddenSize()));
      }
      TeacherSelection selection = TeacherSelection.forMapping(LayerMapping.uniform(m, n), true, true);
      List<TeacherSource> sources = new ArrayList<>();
      for (int d = 0; d < domains.size(); d++) {
        sources.add(env.teachers().create(teachers.get(d), selection, job.bool("teacher.dropout"),
            new RunEnvironment.TeacherContext(name, env.modelRef().apply(teacherDirs.get(d)), "hrkd|" + name + "|" + domains.get(d), d)));
      }
      var soft = new SoftCrossEntropy((float) job.doubleValue("distill.temperature"), Methods.tSquared(job, method), 1f);
      var objective = new HrkdObjective(graph, job.doubleValue("distill.hrkd.hidden-ratio"), job.doubleValue("distill.hrkd.pred-ratio"), n / m, soft);
      long ckptEvery = tc.checkpointEvery() > 0 ? tc.checkpointEvery() : tc.evalEvery();
      var step = new HrkdStep(student.model(), projection, sources, objective, ckptEvery);
      Path studentDir = runDir.resolve("student");
      PerDomainBest best = new PerDomainBest(studentDir.resolve("best-per-domain"), domains);
      GraphBackend g = graph;
      try {
        new PhaseTrainer<MultiDomainStep>(
            "distill", student, Map.of("projection", projection), step, plan(trains, fit, tc, enc, seed), tc,
            new CheckpointStore(studentDir.resolve("checkpoints"), 2), studentDir.resolve("best"), graphState(g),
            state -> best.evaluate(student, devs, evaluator, sm), env.listeners(), env.cancelled(), seed,
            Map.of("method", method)).run(sm);
      } finally {
        for (TeacherSource s : sources) {
          s.close();
        }
        if (graph != null) {
          graph.close();
        }
      }
      List<LoadedModel> students = new ArrayList<>();
      List<MetricSet> knownDevs = new ArrayList<>();
      for (String d : domains) {
        boolean hasBest = Files.isDirectory(best.model(d));
        students.add(hasBest ? ModelDirectory.read(best.model(d), sm) : student);
        knownDevs.add(hasBest ? best.bestScores(d).orElse(null) : null);
      }
      ModelScore studentScore = score("student", students, devs, tests, evaluator, sm, domains, knownDevs);
      // The speed-up's two latencies, measured together (the first domain's models: every domain's
      // share a shape).
      Latency.Pair latency = Latency.pairedMedianMillis(
          teachers.get(0).model(), students.get(0).model(), job.intValue("task.max-length"),
          JobRunner.LATENCY_WARMUP, JobRunner.LATENCY_RUNS);
      teacherScore = teacherScore.withLatencyMs(latency.firstMillis());
      studentScore = studentScore.withLatencyMs(latency.secondMillis());
      Path export = null;
      if (job.bool("output.export")) {
        export = runDir.resolve("export");
        for (int d = 0; d < domains.size(); d++) {
          ModelDirectory.export(export.resolve(domains.get(d)), students.get(d));
        }
      }
      JobResult result = new JobResult(name, method, teacherScore, studentScore, runDir, export);
      JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("result.json").toFile(), result);
      return result;
    }
  }

  private static MultiDomainPlan plan(List<EncodedDataset> trains, int fit, TrainingConfig tc, EncodedTask enc, long seed) {
    return new MultiDomainPlan(MultiDomainSampler.builder().setDomains(trains).setFitDomain(fit)
        .setBatchSize(tc.microBatch()).optBuckets(enc.buckets()).optSeed(seed).build());
  }

  private static PhaseTrainer.MethodState graphState(GraphBackend graph) {
    return new PhaseTrainer.MethodState() {
      @Override
      public StateDict state() {
        if (graph instanceof LocalGraphBackend local) {
          StateDict sd = new StateDict("graph");
          local.state().asMap().forEach((k, v) -> sd.put("graph." + k, v));
          local.state().metadata().forEach((k, v) -> sd.metadata().put("graph." + k, v));
          return sd;
        }
        return new StateDict("graph");
      }

      @Override
      public void load(StateDict sd) {
        if (graph != null && !(graph instanceof LocalGraphBackend) && sd.metadata().containsKey("step")) {
          graph.resumeFrom(Long.parseLong(sd.metadata().get("step"))); // the service restores its snapshot
        }
        if (graph instanceof LocalGraphBackend local && !sd.names().isEmpty()) {
          StateDict g = new StateDict(sd.source());
          sd.asMap().forEach((k, v) -> g.put(k.substring("graph.".length()), v));
          sd.metadata().forEach((k, v) -> {
            if (k.startsWith("graph.")) {
              g.metadata().put(k.substring("graph.".length()), v);
            }
          });
          local.load(g);
        }
      }
    };
  }

  /**
   * Scores each domain's model on its dev split (unless its dev scores are known) and its labelled
   * test split. The latency is left NaN: the caller measures it beside the other model's.
   *
   * @param knownDevs each domain's dev scores from the evaluation that selected its model, null
   *     where unknown; an empty list when none is known
   */
  private static ModelScore score(
      String role, List<LoadedModel> models, List<EncodedDataset> devs, List<EncodedDataset> tests,
      Evaluator evaluator, NDManager manager, List<String> domains, List<MetricSet> knownDevs) {
    Map<String, Double> dev = new LinkedHashMap<>();
    Map<String, Double> test = new LinkedHashMap<>();
    String metric = null;
    for (int d = 0; d < domains.size(); d++) {
      MetricSet known = knownDevs.isEmpty() ? null : knownDevs.get(d);
      MetricSet dv = known != null ? known : evaluator.evaluate(models.get(d).model(), devs.get(d), manager);
      metric = dv.selectBy().key();
      put(dev, dv.byKey(), domains.get(d), domains.size());
      if (tests.get(d).size() > 0 && tests.get(d).labels() != null) {
        put(test, evaluator.evaluate(models.get(d).model(), tests.get(d), manager).byKey(), domains.get(d), domains.size());
      }
    }
    return new ModelScore(role, metric, dev, test, models.get(0).parameters(), Double.NaN);
  }

  private static void put(Map<String, Double> into, Map<String, Double> values, String domain, int n) {
    values.forEach((k, v) -> {
      into.put(k + "/" + domain, v);
      into.merge(k, v / n, Double::sum);
    });
  }
}
