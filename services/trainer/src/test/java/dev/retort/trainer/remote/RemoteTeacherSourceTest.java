package dev.retort.trainer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.Batch;
import dev.retort.core.RetortException;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.core.engine.Torch;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.train.StepTimer;
import dev.retort.messaging.ChunkFetcher;
import dev.retort.messaging.Replay;
import dev.retort.messaging.TensorCodec;
import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import dev.retort.trainer.config.TrainerConfig;
import dev.retort.trainer.messaging.KafkaClients;
import dev.retort.trainer.messaging.TeacherIndexView;
import dev.retort.trainer.messaging.TeacherRejections;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's teacher requests and outputs, on a real broker.
 *
 * <p>The order in which requests reach the teacher service: a teacher replica serves a partition
 * in order; requests that land on several partitions are served in partition order, and the batch
 * a step waits for can end up behind the batches it announced. And how outputs already in the log
 * are read back ahead of the steps that need them.
 */
class RemoteTeacherSourceTest {
  private static ProcessKafkaBroker broker;
  private static KafkaClients clients;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "kafka-order-");
    broker = new ProcessKafkaBroker(KafkaSettings.builder().setWorkDir(work).build());
    broker.start();
    TopicAdmin.ensure(broker.bootstrapServers(), Topics.specs(TopicSettings.defaults()));
    clients = new KafkaClients(broker.bootstrapServers(), config());
  }

  /**
   * Sends one acknowledged record to every partition: on a loaded machine a fresh producer and
   * topic can take longer to be ready than a record may wait, and the records under test would
   * expire unsent (seen once in CI: the first five requests never arrived).
   */
  private static void warmUp(Producer<String, byte[]> p) throws Exception {
    for (int partition = 0; partition < Topics.WIDE_PARTITIONS; partition++) {
      p.send(new ProducerRecord<>(Topics.TEACHER_REQUESTS, partition, "warm-up", new byte[0]))
          .get(2, TimeUnit.MINUTES);
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void aJobsRequestsReachOnePartitionSixteenAtATimeInTheOrderTheyWereAnnounced() throws Exception {
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batches.add(batch(i));
    }
    TeacherSelection sel = new TeacherSelection(new TreeSet<>(List.of(0)), new TreeSet<>(), true);
    var spec = new RemoteTeacherSource.Spec("job-a", "pass-a", "preset:tiny", 3, false, 0, sel,
        TeacherOutputMapper.selection(sel, DType.DTYPE_FP16), false);
    try (Producer<String, byte[]> producer = clients.producer("requests");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        ChunkFetcher fetcher = ChunkFetcher.create(
            clients.bootstrap(), "order-test-fetch", clients.overrides(), Duration.ofSeconds(5))) {
      warmUp(producer);
      var source = new RemoteTeacherSource(spec, producer, index, fetcher,
          new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(5), fixedThreads());
      // Two steps' announcements, as DistillationStep makes them: the current batch, then the
      // window of 8 after it; the second repeats batches already asked for.
      source.prefetch(batches.subList(0, 9));
      source.prefetch(batches.subList(1, 20));
      producer.flush();
    }

    List<ConsumerRecord<String, byte[]>> sent = readAll(20);
    List<Long> announced = batches.stream().map(BatchKeys::batchKey).toList();
    assertThat(sent.stream().map(r -> parse(r).getBatchIndex()).toList())
        .containsExactlyInAnyOrderElementsOf(announced); // each batch asked for once
    // The first sixteen share a record key, so a partition, in the order announced (the opening
    // announcement among them); the rest share the next key.
    assertThat(inOffsetOrder(sent, "job-a/0")).containsExactlyElementsOf(announced.subList(0, 16));
    assertThat(inOffsetOrder(sent, "job-a/1")).containsExactlyElementsOf(announced.subList(16, 20));
  }

  @Test
  void outputsAnnouncedAfterTheyWereIndexedAreReadAheadAndDecodeAsPublished() throws Exception {
    var spec = logitsOnly("job-b", "pass-b");
    try (Producer<String, byte[]> producer = clients.producer("outputs");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        NDManager manager = NDManager.newBaseManager()) {
      warmUp(producer);
      // Another job of the pass computed batches 20 to 24.
      for (int i = 20; i < 25; i++) {
        publishOutput(producer, spec, batch(i));
      }
      awaitIndexed(index, spec, batch(20), batch(21), batch(22), batch(23), batch(24));
      try (var source = source(spec, producer, index, "read-ahead-test")) {
        for (int step = 0; step < 5; step++) {
          // As DistillationStep announces: the step's batch, then the window after it.
          List<Batch> announced = new ArrayList<>();
          for (int i = 20 + step; i < 25; i++) {
            announced.add(batch(i));
          }
          source.prefetch(announced);
          if (step == 0) {
            // Read before any step asks: the announced batches up to the read-ahead's depth.
            assertThat(source.readsWaiting()).isEqualTo(ReadAhead.DEPTH);
          }
          TeacherOutputs out = source.outputs(batch(20 + step), manager, new StepTimer());
          assertThat(out.logits().toFloatArray()).containsExactly(logits(batch(20 + step)));
        }
        assertThat(source.counts()).containsExactly(5, 0); // all replayed, none waited for
      }
    }
  }

  @Test
  void anOutputTheJobAskedForIsReadBackAsSoonAsTheTeacherIndexesIt() throws Exception {
    var spec = logitsOnly("job-d", "pass-d");
    try (Producer<String, byte[]> producer = clients.producer("outputs-d");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        NDManager manager = NDManager.newBaseManager()) {
      warmUp(producer);
      try (var source = source(spec, producer, index, "arrival-test")) {
        source.prefetch(List.of(batch(60), batch(61))); // nothing computed yet: both requested
        assertThat(source.readsWaiting()).isZero();
        // The teacher publishes 61 while the step of 60 would still compute.
        publishOutput(producer, spec, batch(61));
        awaitIndexed(index, spec, batch(61));
        assertThat(source.readsWaiting()).isEqualTo(1);
        publishOutput(producer, spec, batch(60));
        TeacherOutputs first = source.outputs(batch(60), manager, new StepTimer());
        TeacherOutputs second = source.outputs(batch(61), manager, new StepTimer());
        assertThat(first.logits().toFloatArray()).containsExactly(logits(batch(60)));
        assertThat(second.logits().toFloatArray()).containsExactly(logits(batch(61)));
        assertThat(source.readsWaiting()).isZero();
      }
    }
  }

  @Test
  void stepsTakeTheReplayThreadsOnceTheTeacherHasComputedEverythingTheJobAskedFor() throws Exception {
    var spec = logitsOnly("job-h", "pass-h");
    try (Producer<String, byte[]> producer = clients.producer("outputs-h");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        NDManager manager = NDManager.newBaseManager()) {
      warmUp(producer);
      int base = Torch.intraOpThreads();
      StepThreads threads = StepThreads.onThisThread("job-h", Optional.of(base + 1));
      try (var source = new RemoteTeacherSource(spec, producer, index, fetcher("threads-test"),
          new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(5), threads)) {
        source.prefetch(List.of(batch(70), batch(71))); // nothing computed yet: both requested
        publishOutput(producer, spec, batch(70));
        source.outputs(batch(70), manager, new StepTimer());
        // 71 is still being computed: the teacher keeps its cores.
        assertThat(threads.current()).isEqualTo(base);
        assertThat(Torch.intraOpThreads()).isEqualTo(base);
        publishOutput(producer, spec, batch(71));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (source.teacherComputing() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        source.outputs(batch(71), manager, new StepTimer());
        assertThat(threads.current()).isEqualTo(base + 1);
        assertThat(Torch.intraOpThreads()).isEqualTo(base + 1);
      } finally {
        threads.restore();
      }
      assertThat(Torch.intraOpThreads()).isEqualTo(base);
    }
  }

  @Test
  void readsWaitingToBeTakenStayWithinTheirCountAndBytesAndAnyOutputCanStillBeTaken()
      throws Exception {
    var spec = logitsOnly("job-c", "pass-c");
    try (Producer<String, byte[]> producer = clients.producer("outputs-c");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        ReadAhead reads = new ReadAhead(fetcher("read-ahead-bounds"), "read-ahead-bounds")) {
      warmUp(producer);
      List<String> keys = new ArrayList<>();
      for (int i = 40; i < 45; i++) {
        publishOutput(producer, spec, batch(i));
        keys.add(BatchKeys.key(spec.passId(), BatchKeys.batchKey(batch(i))));
      }
      awaitIndexed(index, spec, batch(40), batch(41), batch(42), batch(43), batch(44));
      for (String key : keys) {
        reads.schedule(key, index.find(key).orElseThrow());
      }
      assertThat(reads.waiting()).isEqualTo(ReadAhead.DEPTH);
      // Taken in order, scheduled or not, each read is the output at its location.
      for (int k = 0; k < keys.size(); k++) {
        TeacherOutputLocation loc = index.find(keys.get(k)).orElseThrow();
        ReadAhead.Read read = reads.take(keys.get(k), loc);
        assertThat(read.status()).isEqualTo(Replay.Status.FOUND);
        assertThat(read.output().value().getBatchIndex()).isEqualTo(BatchKeys.batchKey(batch(40 + k)));
      }
      assertThat(reads.waiting()).isZero();
      // A read larger than the byte budget is left to its step.
      TeacherOutputLocation huge = index.find(keys.get(0)).orElseThrow().toBuilder()
          .setBytes(ReadAhead.MAX_BYTES + 1).build();
      reads.schedule(keys.get(0), huge);
      assertThat(reads.waiting()).isZero();
      assertThat(reads.take(keys.get(0), huge).status()).isEqualTo(Replay.Status.FOUND);
    }
  }

  @Test
  void aStepWithNoTeacherAnsweringFailsAfterTheTimeoutNamingWhatToCheck() throws Exception {
    var spec = logitsOnly("job-t", "pass-t");
    try (Producer<String, byte[]> producer = clients.producer("no-teacher");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(60));
        NDManager manager = NDManager.newBaseManager();
        var source = new RemoteTeacherSource(spec, producer, index, fetcher("no-teacher-test"),
            new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(2), fixedThreads())) {
      warmUp(producer);
      assertThatThrownBy(() -> source.outputs(batch(90), manager, new StepTimer()))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("job job-t, batch")
          .hasMessageContaining("no teacher output within 2 s")
          .hasMessageContaining("consumer group retort-teacher is reading "
              + Topics.TEACHER_REQUESTS)
          .hasMessageContaining(spec.teacherRef());
    }
  }

  @Test
  void aTeacherRequestTheProducerCannotSendFailsItsStepAtOnceSayingWhatToChange() throws Exception {
    var spec = logitsOnly("job-s", "pass-s");
    var producer = new org.apache.kafka.clients.producer.MockProducer<>(false, null,
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
    try (TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(60));
        NDManager manager = NDManager.newBaseManager();
        var source = new RemoteTeacherSource(spec, producer, index, fetcher("unsent-test"),
            new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(60), fixedThreads())) {
      var step = java.util.concurrent.CompletableFuture.runAsync(
          () -> source.outputs(batch(70), manager, new StepTimer()));
      long end = System.currentTimeMillis() + 30_000;
      while (producer.history().isEmpty() && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
      producer.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("the message is 1100000 bytes"));
      assertThatThrownBy(() -> step.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetortException.class)
          .hasMessageContaining("job job-s, batch 70")
          .hasMessageContaining("1 examples x 3 tokens")
          .hasMessageContaining("over the producer's or the broker's limit")
          .hasMessageContaining("Lower the job's batch-size")
          .hasMessageContaining("max.request.size");
    }
  }

  @Test
  void aRequestTheTeacherDeadLettersFailsItsStepAtOnceWithTheTeachersReason() throws Exception {
    var spec = logitsOnly("job-e", "pass-e");
    String reason = "teacher_ref 'checkpoint:jobs/job-e/teacher/best': no checkpoint there";
    try (Producer<String, byte[]> producer = clients.producer("rejections");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(60));
        TeacherRejections rejections = new TeacherRejections(clients, index);
        NDManager manager = NDManager.newBaseManager();
        var source = new RemoteTeacherSource(spec, producer, index, fetcher("rejection-test"),
            new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(60), fixedThreads())) {
      warmUp(producer);
      var step = java.util.concurrent.CompletableFuture.runAsync(
          () -> source.outputs(batch(80), manager, new StepTimer()));
      Thread.sleep(1000);
      assertThat(step).as("waiting for the teacher").isNotDone();
      // The teacher sets the request aside, keeping only the start of it.
      byte[] request = TeacherRequest.newBuilder()
          .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
          .setPassId(spec.passId())
          .setBatchIndex(BatchKeys.batchKey(batch(80)))
          .setTeacherRef(spec.teacherRef())
          .setInputIds(new TeacherOutputMapper(TensorCodec.defaults()).ints(batch(80).inputIds()))
          .build().toByteArray();
      DeadLetter letter = DeadLetter.newBuilder()
          .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
          .setSourceTopic(Topics.TEACHER_REQUESTS)
          .setService("retort-teacher")
          .setReason(reason)
          .setValue(com.google.protobuf.ByteString.copyFrom(request, 0, 40))
          .setValueTruncated(true)
          .build();
      long t0 = System.nanoTime();
      producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, "job-e/0", letter.toByteArray()))
          .get(1, TimeUnit.MINUTES);
      assertThatThrownBy(() -> step.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RetortException.class)
          .hasMessageContaining("the teacher service rejected its request: " + reason);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("failed on the dead letter, not after the 60 s timeout")
          .isLessThan(Duration.ofSeconds(30));
      // A step that asks after the rejection arrived fails as well, without waiting.
      assertThatThrownBy(() -> source.outputs(batch(80), manager, new StepTimer()))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining(reason);
      // A job resubmitted once the cause is fixed asks again, and only that request's answer
      // counts: the old rejection no longer fails it.
      try (var again = new RemoteTeacherSource(logitsOnly("job-e-again", "pass-e"), producer,
          index, fetcher("rejection-test-again"), new TeacherOutputMapper(TensorCodec.defaults()),
          Duration.ofSeconds(60), fixedThreads())) {
        var retried = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> again.outputs(batch(80), manager, new StepTimer()));
        Thread.sleep(1000);
        assertThat(retried).as("waiting for the teacher again").isNotDone();
        publishOutput(producer, spec, batch(80));
        assertThat(retried.get(30, TimeUnit.SECONDS).logits().toFloatArray())
            .containsExactly(logits(batch(80)));
      }
    }
  }

  @Test
  void anIndexEntryPointingToAnotherBatchsOutputFailsItsStepNamingBothBatches() throws Exception {
    var spec = logitsOnly("job-f", "pass-f");
    try (Producer<String, byte[]> producer = clients.producer("outputs-f");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        NDManager manager = NDManager.newBaseManager();
        var source = source(spec, producer, index, "mismatch-test")) {
      warmUp(producer);
      // Batch 100's entry names batch 100 but points to the record of batch 101, whose logits
      // have the same shape: without the check the step would train on another batch's outputs.
      long asked = BatchKeys.batchKey(batch(100));
      long held = BatchKeys.batchKey(batch(101));
      RecordMetadata at = producer.send(new ProducerRecord<>(Topics.TEACHER_OUTPUTS,
          BatchKeys.key(spec.passId(), held), logitsOutput(spec, batch(101)).toByteArray()))
          .get(1, TimeUnit.MINUTES);
      index(producer, spec, batch(100), at, 100);
      awaitIndexed(index, spec, batch(100));

      assertThatThrownBy(() -> source.outputs(batch(100), manager, new StepTimer()))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("job job-f, teacher output of batch 100 of epoch 0")
          .hasMessageContaining("@" + at.offset())
          .hasMessageContaining("holds the output of pass pass-f, batch " + held
              + ", not of pass pass-f, batch " + asked)
          .hasMessageContaining("check the teacher service's version and log");
    }
  }

  @Test
  void anOutputThatDoesNotFitTheBatchFailsItsStepNamingTheTensorAndItsShape() throws Exception {
    TeacherSelection sel = new TeacherSelection(new TreeSet<>(List.of(0)), new TreeSet<>(), false);
    var spec = new RemoteTeacherSource.Spec("job-g", "pass-g", "preset:tiny", 3, false, 0, sel,
        TeacherOutputMapper.selection(sel, DType.DTYPE_FP32), false);
    try (Producer<String, byte[]> producer = clients.producer("outputs-g");
        TeacherIndexView index = new TeacherIndexView(clients, Duration.ofSeconds(5));
        NDManager manager = NDManager.newBaseManager();
        var source = source(spec, producer, index, "shape-test")) {
      warmUp(producer);
      Batch b = batch(110); // one example of 3 tokens; the teacher sent 5 positions
      TeacherOutput out = TeacherOutput.newBuilder()
          .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
          .setPassId(spec.passId())
          .setBatchIndex(BatchKeys.batchKey(b))
          .setLength(5)
          .addHidden(TensorCodec.defaults().encode(
              HostTensor.ofFloats(new long[] {1, 5, 4}, new float[20])))
          .setSelection(spec.wire())
          .build();
      RecordMetadata at = producer.send(new ProducerRecord<>(Topics.TEACHER_OUTPUTS,
          BatchKeys.key(spec.passId(), BatchKeys.batchKey(b)), out.toByteArray()))
          .get(1, TimeUnit.MINUTES);
      index(producer, spec, b, at, out.getSerializedSize());
      awaitIndexed(index, spec, b);

      assertThatThrownBy(() -> source.outputs(b, manager, new StepTimer()))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("job job-g, teacher output of batch 110 of epoch 0")
          .hasMessageContaining("hidden state 0: has shape [1, 5, 4] where [1, 3, *] was expected");
    }
  }

  /** The logits-only output of a batch, as the teacher publishes it. */
  private static TeacherOutput logitsOutput(RemoteTeacherSource.Spec spec, Batch b) {
    return TeacherOutput.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId(spec.passId())
        .setBatchIndex(BatchKeys.batchKey(b))
        .setLength(b.length())
        .setLogits(TensorCodec.defaults().encode(
            HostTensor.ofFloats(new long[] {b.size(), 3}, logits(b))))
        .setSelection(spec.wire())
        .build();
  }

  /** Writes the index entry of a batch, pointing to a record sent as one message. */
  private static void index(Producer<String, byte[]> producer, RemoteTeacherSource.Spec spec,
      Batch b, RecordMetadata at, long bytes) throws Exception {
    long key = BatchKeys.batchKey(b);
    TeacherOutputLocation loc = TeacherOutputLocation.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId(spec.passId())
        .setBatchIndex(key)
        .setTopic(at.topic())
        .setPartition(at.partition())
        .setOffset(at.offset())
        .setChunks(1)
        .setBytes(bytes)
        .build();
    producer.send(new ProducerRecord<>(Topics.TEACHER_INDEX,
        BatchKeys.key(spec.passId(), key), loc.toByteArray())).get(1, TimeUnit.MINUTES);
  }

  /** A job that needs only the teacher's logits, sent in fp32. */
  private static RemoteTeacherSource.Spec logitsOnly(String job, String pass) {
    TeacherSelection sel = new TeacherSelection(new TreeSet<>(), new TreeSet<>(), true);
    return new RemoteTeacherSource.Spec(job, pass, "preset:tiny", 3, false, 0, sel,
        TeacherOutputMapper.selection(sel, DType.DTYPE_FP32), false);
  }

  /** A source as the trainer builds it, with its own fetcher, waiting at most 5 s for a batch. */
  private static RemoteTeacherSource source(RemoteTeacherSource.Spec spec,
      Producer<String, byte[]> producer, TeacherIndexView index, String name) {
    return new RemoteTeacherSource(spec, producer, index, fetcher(name),
        new TeacherOutputMapper(TensorCodec.defaults()), Duration.ofSeconds(5), fixedThreads());
  }

  /** Step threads that never change: the sources under test here do not switch them. */
  private static StepThreads fixedThreads() {
    return StepThreads.onThisThread("test", Optional.empty());
  }

  private static ChunkFetcher fetcher(String name) {
    return ChunkFetcher.create(clients.bootstrap(), name, clients.overrides(), Duration.ofSeconds(5));
  }

  /** The logits published for a batch: distinct per batch, so a mixed-up read shows. */
  private static float[] logits(Batch b) {
    float[] v = new float[3 * b.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.index() * 10 + i;
    }
    return v;
  }

  /** Publishes a logits-only output of a batch and its index entry, as the teacher service does. */
  private static void publishOutput(
      Producer<String, byte[]> producer, RemoteTeacherSource.Spec spec, Batch b) throws Exception {
    long key = BatchKeys.batchKey(b);
    TeacherOutput out = TeacherOutput.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId(spec.passId())
        .setBatchIndex(key)
        .setLength(b.length())
        .setLogits(TensorCodec.defaults().encode(
            HostTensor.ofFloats(new long[] {b.size(), 3}, logits(b))))
        .setSelection(spec.wire())
        .build();
    byte[] value = out.toByteArray();
    RecordMetadata at = producer.send(new ProducerRecord<>(Topics.TEACHER_OUTPUTS,
        BatchKeys.key(spec.passId(), key), value)).get(1, TimeUnit.MINUTES);
    TeacherOutputLocation loc = TeacherOutputLocation.newBuilder()
        .setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
        .setPassId(spec.passId())
        .setBatchIndex(key)
        .setTopic(at.topic())
        .setPartition(at.partition())
        .setOffset(at.offset())
        .setChunks(1)
        .setBytes(value.length)
        .build();
    producer.send(new ProducerRecord<>(Topics.TEACHER_INDEX,
        BatchKeys.key(spec.passId(), key), loc.toByteArray())).get(1, TimeUnit.MINUTES);
  }

  private static void awaitIndexed(TeacherIndexView index, RemoteTeacherSource.Spec spec, Batch... batches)
      throws Exception {
    for (Batch b : batches) {
      index.await(BatchKeys.key(spec.passId(), BatchKeys.batchKey(b)), Duration.ofSeconds(30))
          .get(1, TimeUnit.MINUTES);
    }
  }

  private static List<Long> inOffsetOrder(
      List<ConsumerRecord<String, byte[]>> records, String key) {
    return records.stream()
        .filter(r -> r.key().equals(key))
        .sorted(Comparator.comparingLong(ConsumerRecord::offset))
        .map(r -> parse(r).getBatchIndex())
        .toList();
  }

  /** The two settings KafkaClients reads: an instance id, and no extra Kafka properties. */
  private static TrainerConfig config() {
    TrainerConfig.Kafka kafka = (TrainerConfig.Kafka) Proxy.newProxyInstance(
        TrainerConfig.class.getClassLoader(), new Class<?>[] {TrainerConfig.Kafka.class},
        (proxy, method, args) -> method.getName().equals("properties") ? Map.of() : null);
    return (TrainerConfig) Proxy.newProxyInstance(
        TrainerConfig.class.getClassLoader(), new Class<?>[] {TrainerConfig.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "instanceId" -> Optional.of("order-test");
          case "kafka" -> kafka;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static TeacherRequest parse(ConsumerRecord<String, byte[]> r) {
    try {
      return TeacherRequest.parseFrom(r.value());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads job-a's requests from every partition of the requests topic. */
  private static List<ConsumerRecord<String, byte[]>> readAll(int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo info : c.partitionsFor(Topics.TEACHER_REQUESTS)) {
        parts.add(new TopicPartition(info.topic(), info.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key().startsWith("job-a/")) { // not the warm-up, not the other test's job
            out.add(r);
          }
        }
      }
      return out;
    }
  }

  /** A one-example batch whose token ids make its key unique. */
  private static Batch batch(int i) {
    int[][] ids = {{101, 1000 + i, 102}};
    int[][] types = {{0, 0, 0}};
    int[][] mask = {{1, 1, 1}};
    return new Batch(0, i, new int[] {i}, ids, types, mask, new int[] {0}, null, new int[] {0}, 3);
  }
}
