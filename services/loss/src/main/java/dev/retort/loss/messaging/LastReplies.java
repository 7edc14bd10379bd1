package dev.retort.loss.messaging;

import dev.retort.loss.config.ArtifactStore;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.ProtoSerde;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last reply of each job and kind (EMD, graph), kept in {@code <kind>-last-reply.pb} in the
 * job's loss directory: a request for the step answered last gets the same reply again, also after
 * a restart. The step is remembered in memory, so only a duplicate reads the file.
 */
@ApplicationScoped
public class LastReplies {
  private static final ProtoSerde<LossReply> SERDE = ProtoSerde.of(LossReply.getDefaultInstance());
  private static final long NONE = Long.MIN_VALUE;

  private final ArtifactStore store;
  private final Map<String, Long> steps = new ConcurrentHashMap<>();

  /**
   * Creates the log.
   *
   * @param store the artifact store
   */
  @Inject
  public LastReplies(ArtifactStore store) {
    this.store = store;
  }

  /**
   * Returns the stored reply of a job's step, if that step was the last answered.
   *
   * @param jobId the job
   * @param kind the request kind
   * @param step the requested step
   * @return the reply as first sent
   */
  public Optional<LossReply> find(String jobId, LossRequest.KindCase kind, long step) {
    Path file = file(jobId, kind);
    long last = steps.computeIfAbsent(key(jobId, kind), k -> read(file).map(LossReply::getStep)
        .orElse(NONE));
    return last == step ? read(file) : Optional.empty();
  }

  /**
   * Stores a job's newest reply.
   *
   * @param jobId the job
   * @param kind the request kind
   * @param reply the reply
   * @throws UncheckedIOException if the file cannot be written
   */
  public void record(String jobId, LossRequest.KindCase kind, LossReply reply) {
    try {
      ArtifactStore.write(file(jobId, kind), reply.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the reply of job " + jobId, e);
    }
    steps.put(key(jobId, kind), reply.getStep());
  }

  /**
   * Forgets a job's last reply of a kind (its state was rewound).
   *
   * @param jobId the job
   * @param kind the request kind
   */
  public void forget(String jobId, LossRequest.KindCase kind) {
    try {
      Files.deleteIfExists(file(jobId, kind));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    steps.put(key(jobId, kind), NONE);
  }

  private Path file(String jobId, LossRequest.KindCase kind) {
    return store.lossDir(jobId).resolve(kind.name().toLowerCase(Locale.ROOT) + "-last-reply.pb");
  }

  private static String key(String jobId, LossRequest.KindCase kind) {
    return jobId + "/" + kind;
  }

  private static Optional<LossReply> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Decoded<LossReply> d = SERDE.decode(Files.readAllBytes(file));
      return d.toOptional();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
