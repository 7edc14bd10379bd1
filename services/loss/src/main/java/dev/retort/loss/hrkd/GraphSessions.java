package dev.retort.loss.hrkd;

import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.core.distill.hrkd.LocalGraphBackend;
import dev.retort.core.engine.Torch;
import dev.retort.core.tensor.StateDict;
import dev.retort.loss.config.ArtifactStore;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.LossMetrics;
import dev.retort.messaging.BadMessageException;
import dev.retort.proto.v1.GraphEvaluate;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HRKD graph per job ({@link LocalGraphBackend}, created from the job's options on its first
 * request and seeded exactly as in-process), kept in memory for the most recently active jobs.
 *
 * <p>A frozen graph never changes, so it is simply created again after a restart or eviction. A
 * trained graph changes every step: it is snapshotted to disk ({@link GraphSnapshots}) whenever
 * the trainer checkpoints after a step, restored from the snapshot the trainer names when it
 * resumes ({@code resume_from_step}), and, after this service restarted, restored from its newest
 * snapshot when the next request is for the step right after it. Any other request that needs a
 * trained graph state this service no longer has is refused with the reason, since continuing
 * from a different state would silently train a different student.
 */
@ApplicationScoped
public class GraphSessions {
  private final GraphMapper mapper;
  private final ArtifactStore store;
  private final LossMetrics metrics;
  private final int snapshotsKept;
  private final int activeJobs;
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(8, 0.75f, true);

  /** A job's graph, its options and the last step it evaluated. */
  private static final class Session {
    final GraphOptions options;
    final LocalGraphBackend backend;
    final GraphSnapshots snapshots;
    long lastStep = -1;

    Session(GraphOptions options, GraphSnapshots snapshots) {
      this.options = options;
      this.backend = LocalGraphBackend.standalone(options);
      this.snapshots = snapshots;
    }
  }

  /**
   * Creates the sessions.
   *
   * @param config the service settings
   * @param store the artifact store
   * @param metrics the meters
   */
  @Inject
  public GraphSessions(LossConfig config, ArtifactStore store, LossMetrics metrics) {
    this(new GraphMapper(config.limits().maxElements(), config.limits().maxGraphWeights()), store,
        metrics, config.state().graphSnapshots(), config.state().activeJobs());
  }

  /**
   * Creates sessions with explicit settings.
   *
   * @param mapper decodes requests
   * @param store the artifact store
   * @param metrics the meters
   * @param snapshotsKept snapshots kept per job
   * @param activeJobs graphs kept in memory
   */
  public GraphSessions(GraphMapper mapper, ArtifactStore store, LossMetrics metrics,
      int snapshotsKept, int activeJobs) {
    this.mapper = mapper;
    this.store = store;
    this.metrics = metrics;
    this.snapshotsKept = snapshotsKept;
    this.activeJobs = activeJobs;
  }

  /**
   * Evaluates a job's graph for one step.
   *
   * @param jobId the job
   * @param step the step
   * @param request the request
   * @return ratios, the prototypes' gradient and the hierarchy weights
   * @throws BadMessageException if the request is malformed or needs a graph state that is gone
   */
  public synchronized dev.retort.proto.v1.GraphResult evaluate(String jobId, long step,
      GraphEvaluate request) {
    GraphInput in = mapper.toInput(request);
    Torch.noGradOnThisThread();
    Session s = session(jobId, in, step);
    GraphResult r = s.backend.evaluate(step, in.prototypes(), in.layerLosses(), in.snapshot());
    if (s.options.trained()) {
      try {
        if (in.snapshot()) {
          s.snapshots.write(step, s.backend.state());
        }
        s.snapshots.progress(step);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the graph state of job " + jobId, e);
      }
    }
    s.lastStep = step;
    metrics.hrkd(jobId, r.ratios());
    return mapper.toProto(r);
  }

  /** Returns how many graphs are in memory. */
  public synchronized int size() {
    return sessions.size();
  }

  private Session session(String jobId, GraphInput in, long step) {
    Session s = sessions.get(jobId);
    if (s != null && !s.options.equals(in.options())) {
      throw new BadMessageException("graph.options", "differ from the options of the job's "
          + "first graph request " + s.options, "Keep a job's graph options fixed");
    }
    boolean resume = in.resumeFromStep() > 0;
    if (s == null) {
      s = new Session(in.options(), new GraphSnapshots(store.lossDir(jobId), snapshotsKept));
      add(jobId, s);
      if (in.options().trained() && !resume) {
        continueAfterRestart(s, step);
      }
    }
    if (!s.options.trained()) {
      return s;
    }
    if (resume) {
      restore(s, in.resumeFromStep());
    } else if (s.lastStep >= 0 && step != s.lastStep + 1) {
      throw new BadMessageException("step", "the trained graph is at step " + s.lastStep
          + ", a request for step " + step + " would skip or repeat steps",
          "A resuming trainer names its checkpoint step in graph.options.resume_from_step");
    }
    return s;
  }

  /** A job this service served before a restart continues only from its newest snapshot. */
  private void continueAfterRestart(Session s, long step) {
    try {
      if (s.snapshots.progress() < 0) {
        return; // a new job
      }
      List<Long> steps = s.snapshots.steps();
      long newest = steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
      if (newest < 0 || step != newest + 1) {
        throw new BadMessageException("step", "the trained graph's state after step "
            + s.snapshots.progress() + " was lost in a restart of the loss service (graphs are "
            + "snapshotted only at checkpoints; newest snapshot: "
            + (newest < 0 ? "none" : "step " + newest) + ")",
            "Resume the job from its last checkpoint");
      }
      restore(s, newest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void restore(Session s, long step) {
    StateDict state = s.snapshots.read(step);
    if (state == null) {
      throw new BadMessageException("graph.options.resume_from_step", "there is no graph "
          + "snapshot of step " + step, "Resume from a checkpoint the loss service snapshotted");
    }
    s.backend.load(state);
    s.lastStep = step;
  }

  private void add(String jobId, Session s) {
    sessions.put(jobId, s);
    Iterator<Map.Entry<String, Session>> eldest = sessions.entrySet().iterator();
    while (sessions.size() > activeJobs) {
      Map.Entry<String, Session> e = eldest.next();
      eldest.remove();
      e.getValue().backend.close();
    }
  }

  /** Frees every graph. */
  @PreDestroy
  public synchronized void close() {
    sessions.values().forEach(s -> s.backend.close());
    sessions.clear();
  }
}
