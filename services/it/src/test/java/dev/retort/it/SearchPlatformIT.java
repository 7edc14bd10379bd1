package dev.retort.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformCandidateEvaluator;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.efficientbert.search.EvaluatedCandidate;
import dev.retort.core.efficientbert.search.SearchConfig;
import dev.retort.core.efficientbert.search.SearchResult;
import dev.retort.core.efficientbert.search.SearchRunner;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EfficientBERT's search dispatched to the platform: the warm-up runs here, each of three
 * candidates is trained as a distill job by two trainer replicas (teacher outputs from the teacher
 * service) two at a time, sharing one teacher pass, and the fitness comes back with the jobs' finished
 * events; then {@code retort search --platform} on the same job re-attaches to those jobs.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SearchPlatformIT {
  private static LocalPlatform platform;
  private static PlatformClient client;
  private static PlatformOptions options;
  private static Path firstRun;

  @BeforeAll
  static void start() throws Exception {
    // Two trainer replicas: the population is spread over them (least-loaded dispatch).
    options = Platforms.options("search").withReplicas("trainer", 2);
    platform = Platforms.start(options);
    client = PlatformClient.connect(platform.bootstrap(), options.stateDir());
    Platforms.awaitTrainerGroup(platform, 2, Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void threeCandidatesAreTrainedByTheTrainerAndRanked() throws Exception {
    Path dir = options.artifacts().resolve("search");
    Files.createDirectories(dir);
    Path corpus = corpus(dir);
    String yaml = String.join("\n",
        "seed: 7",
        "teacher:",
        "  model: preset:tiny",
        "task:",
        "  format: sample",
        "  dir: " + options.artifacts().resolve("data"),
        "  sample-size: 60",
        "  max-train-examples: 48",
        "  max-eval-examples: 32",
        "  max-length: 32",
        "  buckets: [16, 32]",
        "student:",
        "  hidden-size: 48",
        "  layers: 2",
        "  embedding-size: 16",
        "search:",
        "  sampler: random",
        "  candidates: 3",
        "  parallel: 2",
        "  steps-per-candidate: 3",
        "  pretrain-steps: 2",
        "  batch-size: 8",
        "  eval-every: 3",
        "  budget-min-params: 0",
        "  budget-max-params: 100000000",
        "  warmup-steps: 2",
        "  corpus: " + corpus,
        "  dispatch: platform",
        // The 48 training examples cannot spare the default 100 for the in-process hold-out.
        "  holdout-min-examples: 8",
        "  supernet-checkpoint: " + dir.resolve("supernet.safetensors"),
        "platform:",
        "  teacher-timeout-seconds: 120",
        "output:",
        "  dir: " + dir.resolve("run"),
        "");
    Path file = dir.resolve("search-it.yaml");
    Files.writeString(file, yaml);
    ConfigValues job = new JobParser(JobSchema.root()).parse(yaml, "search-it.yaml");
    List<PlatformCandidateEvaluator> open = new ArrayList<>();
    SearchResult r;
    try {
      r = new SearchRunner(PathPolicy.unrestricted(), LoadOptions.defaults(), dir, () -> false)
          .withDispatch((j, name, supernet, cancelled) -> {
            var e = new PlatformCandidateEvaluator(client, j.explicitTree(), name, supernet.toAbsolutePath().toString(),
                SearchConfig.of(j).protocol(), Duration.ofMinutes(6), cancelled);
            open.add(e);
            return e;
          })
          .run(job, "search-it");
    } finally {
      open.forEach(PlatformCandidateEvaluator::close);
    }

    assertThat(r.evaluated()).isEqualTo(3);
    assertThat(r.finished()).isTrue();
    for (EvaluatedCandidate c : r.hallOfFame()) {
      assertThat(c.fitness().failed()).as(String.valueOf(c.fitness().error())).isFalse();
      assertThat(c.value()).isBetween(0.0, 1.0);
    }
    // One teacher pass for the whole population: every index entry has the same pass id.
    java.util.Set<String> passes = new java.util.HashSet<>();
    try (var index = client.fromStart(dev.retort.messaging.Topics.TEACHER_INDEX)) {
      index.drain(rec -> passes.add(rec.key().substring(0, rec.key().indexOf('/'))), k -> k != null);
    }
    assertThat(passes).hasSize(1);
    // Both replicas trained candidates: new jobs go to the replica with the least work queued.
    for (String log : List.of("trainer.log", "trainer-2.log")) {
      assertThat(Files.readString(options.stateDir().resolve("logs").resolve(log)))
          .as(log).containsPattern("job search-it-s1c\\d+-[0-9a-f]+ ended");
    }
    // One teacher copy and one teacher score for the population: candidates hand over the same
    // content-addressed teacher, and a candidate that starts after another scored it reuses that.
    try (var teachers = Files.list(options.artifacts().resolve("teachers"))) {
      assertThat(teachers.map(p -> p.getFileName().toString()).toList()).singleElement()
          .matches(n -> n.matches("[0-9a-f]{32}"));
    }
    try (var scores = Files.list(options.artifacts().resolve("cache").resolve("teacher-scores"))) {
      assertThat(scores.toList()).hasSize(1);
    }
    String trainerLogs = Files.readString(options.stateDir().resolve("logs").resolve("trainer.log"))
        + Files.readString(options.stateDir().resolve("logs").resolve("trainer-2.log"));
    assertThat(trainerLogs).contains("scores reused from an identical teacher");
    firstRun = file;
    try (var jobs = Files.list(options.artifacts().resolve("jobs"))) {
      List<Path> candidates = jobs.filter(p -> p.getFileName().toString().startsWith("search-it-s1c")).toList();
      assertThat(candidates).hasSize(3);
      for (Path p : candidates) {
        assertThat(Files.readString(p.resolve("state.json"))).contains("finished");
        // Each candidate had its pre-training KD on the trainer before downstream KD.
        try (var files = Files.walk(p)) {
          Path jobJson = files.filter(f -> f.getFileName().toString().equals("job.json")).findFirst().orElseThrow();
          assertThat(Files.readString(jobJson)).contains("\"pretrain\"").contains(corpus.toString());
        }
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void searchCommandWithPlatformReattachesToTheFinishedJobsOfTheSameCandidates() throws Exception {
    if (firstRun == null) {
      threeCandidatesAreTrainedByTheTrainerAndRanked();
    }
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = dev.retort.cli.Retort.execute(new String[] {
        "search", firstRun.toString(), "--platform", "--bootstrap", platform.bootstrap(),
        "--name", "search-it", "--output", firstRun.resolveSibling("run2").toString(), "--candidate-timeout", "2"},
        new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3 candidates evaluated").contains("ffn-expressions:");
    int[] requests = {0};
    try (var reader = client.fromStart(dev.retort.messaging.Topics.JOB_REQUESTS)) {
      reader.drain(rec -> requests[0]++, k -> k != null && k.startsWith("search-it-"));
    }
    assertThat(requests[0]).as("no candidate job was sent twice").isEqualTo(3);
  }

  private static Path corpus(Path dir) throws Exception {
    Random rnd = new Random(1);
    String[] words = {"the", "movie", "was", "good", "bad", "food", "service", "slow", "fast", "great"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 6; w++) {
        sb.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
      }
      lines.add(sb.append('.').toString());
      if (i % 5 == 4) {
        lines.add("");
      }
    }
    Path file = dir.resolve("corpus.txt");
    Files.write(file, lines);
    return file;
  }
}
