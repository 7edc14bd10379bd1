package dev.retort.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.search.EvaluatedCandidate;
import dev.retort.core.efficientbert.search.KdProtocol;
import dev.retort.core.efficientbert.search.ParamBudget;
import dev.retort.core.efficientbert.search.RandomSampler;
import dev.retort.core.efficientbert.search.SearchController;
import dev.retort.core.efficientbert.search.SearchResult;
import dev.retort.core.efficientbert.search.SearchSpace;
import dev.retort.core.efficientbert.search.SearchStage;
import dev.retort.core.efficientbert.search.SearchStateStore;
import dev.retort.messaging.ClientConfigs;
import dev.retort.messaging.JobEvents;
import dev.retort.messaging.Structs;
import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.messaging.TrainingRequests;
import dev.retort.proto.v1.SummaryTable;
import dev.retort.proto.v1.TrainingRequest;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform evaluator against a real broker, with a fake trainer that answers every candidate
 * job with a finished event whose dev score is a known function of the job's expressions.
 */
class PlatformCandidateEvaluatorTest {
  @TempDir static Path work;
  private static ProcessKafkaBroker broker;
  private static String bootstrap;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new ProcessKafkaBroker(KafkaSettings.builder().setWorkDir(work.resolve("kafka")).build());
    broker.start();
    bootstrap = broker.bootstrapServers();
    TopicAdmin.ensure(bootstrap, Topics.specs(TopicSettings.defaults()));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  /** The fitness the fake trainer reports for a job's expressions. */
  static double score(List<?> expressions) {
    return (String.join("|", expressions.stream().map(Object::toString).toList()).hashCode() & 0xffff) / 65536.0;
  }

  @Test
  void populationsRunInParallelAndAStoppedSearchReattachesToItsJobsWithoutResending(@TempDir Path dir) throws Exception {
    EfficientBertArch published = EfficientBertArch.efficientBert();
    SearchSpace space = SearchSpace.builder().setDims(published).setStage(SearchStage.SIZES)
        .optBudget(ParamBudget.reference()).optSeeds(List.of(published.layerExpressions())).build();
    Map<String, Object> search = Map.of("seed", 7, "teacher", Map.of("model", "checkpoint:teacher"),
        "student", Map.of("hidden-size", 540), "search", Map.of("parallel", 2));
    KdProtocol protocol = KdProtocol.of(0, 5);
    AtomicBoolean releaseSecondPair = new AtomicBoolean(false);
    try (FakeTrainer trainer = new FakeTrainer(releaseSecondPair);
        PlatformClient client = PlatformClient.connect(bootstrap, dir)) {
      SearchResult stopped;
      try (var e = new PlatformCandidateEvaluator(client, search, "tiny search", "supernet.safetensors", protocol,
          Duration.ofMinutes(2), () -> trainer.requests.get() >= 4)) {
        stopped = controller(space, e, dir).optCancelled(() -> trainer.requests.get() >= 4).build().run();
      }
      var mid = new SearchStateStore(dir.resolve("state.json")).read().orElseThrow();
      releaseSecondPair.set(true);
      SearchResult resumed;
      try (var e = new PlatformCandidateEvaluator(client, search, "tiny search", "supernet.safetensors", protocol,
          Duration.ofMinutes(2), () -> false)) {
        resumed = controller(space, e, dir).build().run();
      }

      assertThat(stopped.evaluated()).isEqualTo(2);
      assertThat(mid.pending()).hasSize(2);
      assertThat(trainer.maxWaiting.get()).as("both candidates of a population were in flight together").isEqualTo(2);
      assertThat(resumed.evaluated()).isEqualTo(4);
      assertThat(trainer.perJob).hasSize(4).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
      assertThat(trainer.perJob.keySet()).allSatisfy(id -> assertThat(id).startsWith("tiny-search-s3c"));
      for (EvaluatedCandidate c : resumed.hallOfFame()) {
        assertThat(c.fitness().failed()).as(String.valueOf(c.fitness().error())).isFalse();
        assertThat(c.value()).isEqualTo(score(c.spec().expressions()));
      }
      Map<String, Object> job = trainer.jobs.values().iterator().next();
      assertThat(((Map<?, ?>) job.get("student")).get("supernet")).isEqualTo("supernet.safetensors");
      assertThat(((Map<?, ?>) job.get("task")).get("evaluate-test")).isEqualTo(false);
      assertThat(job).doesNotContainKey("search");
    }
  }

  @Test
  void aCandidateScoredOnTheTestSplitIsRefusedAsAFitness() {
    SummaryTable dev = SummaryTable.newBuilder().setMetric("acc").setSplit("dev")
        .setStudentValue(0.7).setStudentParameters(15_000_000).build();
    assertThat(PlatformCandidateEvaluator.fitness("j", dev, 3).value()).isEqualTo(0.7);
    assertThat(PlatformCandidateEvaluator.fitness("j", dev.toBuilder().clearSplit().build(), 3).value())
        .isEqualTo(0.7);
    assertThatThrownBy(() -> PlatformCandidateEvaluator.fitness("j", dev.toBuilder().setSplit("test").build(), 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job j")
        .hasMessageContaining("test split");
  }

  private static SearchController.Builder controller(SearchSpace space, PlatformCandidateEvaluator e, Path dir) {
    return SearchController.builder().setSpace(space).setSampler(new RandomSampler(space, 100)).setEvaluator(e)
        .setStateFile(dir.resolve("state.json")).optCandidates(4).optParallel(2).optEvaluatorInfo(e.describe());
  }

  /**
   * Answers candidate jobs in pairs (so a search that sends one at a time would never get an
   * answer); the second pair only once released.
   */
  static final class FakeTrainer implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger maxWaiting = new AtomicInteger();
    final Map<String, AtomicInteger> perJob = new ConcurrentHashMap<>();
    final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();
    private final AtomicBoolean release;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    FakeTrainer(AtomicBoolean release) {
      this.release = release;
      thread = new Thread(this::loop, "fake-trainer");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      JobEvents events = new JobEvents("fake-trainer", Clock.systemUTC());
      try (var consumer = new KafkaConsumer<>(ClientConfigs.assignedConsumer(bootstrap, "fake-trainer", Map.of()),
              new StringDeserializer(), new ByteArrayDeserializer());
          var producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, "fake-trainer", Map.of()),
              new StringSerializer(), new ByteArraySerializer())) {
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.JOB_REQUESTS).forEach(p -> parts.add(new TopicPartition(Topics.JOB_REQUESTS, p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        List<TrainingRequest> waiting = new ArrayList<>();
        int answered = 0;
        while (!closed.get()) {
          for (var r : consumer.poll(Duration.ofMillis(200))) {
            TrainingRequest req = TrainingRequests.parse(r.value());
            requests.incrementAndGet();
            perJob.computeIfAbsent(req.getJobId(), k -> new AtomicInteger()).incrementAndGet();
            jobs.put(req.getJobId(), Structs.toMap(req.getJob()));
            producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, req.getJobId(),
                events.accepted(req.getJobId(), req.getJob(), 5).toByteArray()));
            waiting.add(req);
            maxWaiting.accumulateAndGet(waiting.size(), Math::max);
          }
          if (waiting.size() >= 2 && (answered < 2 || release.get())) {
            for (TrainingRequest req : waiting) {
              List<?> exprs = (List<?>) ((Map<?, ?>) Structs.toMap(req.getJob()).get("student")).get("ffn-expressions");
              SummaryTable s = SummaryTable.newBuilder().setMetric("accuracy").setStudentValue(score(exprs))
                  .setStudentParameters(1000).build();
              producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, req.getJobId(),
                  events.finished(req.getJobId(), s, "").toByteArray()));
              answered++;
            }
            producer.flush();
            waiting.clear();
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      closed.set(true);
      thread.join(5000);
    }
  }
}
