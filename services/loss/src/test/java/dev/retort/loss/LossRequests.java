package dev.retort.loss;

import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.MatrixCodec;
import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.EmdLayerWeights;
import dev.retort.proto.v1.EmdOptions;
import dev.retort.proto.v1.EmdSolve;
import dev.retort.proto.v1.GraphEvaluate;
import dev.retort.proto.v1.LossRequest;
import java.util.Random;

/** Loss requests with small, seeded inputs. */
public final class LossRequests {
  /** Student layers M of the EMD requests. */
  public static final int M = 2;
  /** Teacher layers N of the EMD requests. */
  public static final int N = 4;
  /** Graph rows M + 1, domains D and prototype width H of the graph requests. */
  public static final int LAYERS = 3;
  /** Domains of the graph requests. */
  public static final int DOMAINS = 2;
  /** Prototype width of the graph requests. */
  public static final int HIDDEN = 8;

  private LossRequests() {}

  /** Returns M x N distances drawn from a seed. */
  public static double[][] distances(long seed) {
    Random r = new Random(seed);
    double[][] d = new double[M][N];
    for (double[] row : d) {
      for (int j = 0; j < N; j++) {
        row[j] = 0.1 + r.nextDouble();
      }
    }
    return d;
  }

  /** Returns an EMD request with uniform weights and seeded distances. */
  public static LossRequest emd(String job, long step, String requestId, long seed) {
    EmdLayerWeights.Builder w = EmdLayerWeights.newBuilder();
    for (int i = 0; i < M; i++) {
      w.addStudentAtt(1.0 / M).addStudentHid(1.0 / M);
    }
    for (int j = 0; j < N; j++) {
      w.addTeacherAtt(1.0 / N).addTeacherHid(1.0 / N);
    }
    MatrixCodec codec = MatrixCodec.defaults();
    return LossRequest.newBuilder().setSchemaVersion(SchemaVersions.CURRENT).setJobId(job)
        .setStep(step).setRequestId(requestId)
        .setEmd(EmdSolve.newBuilder()
            .setOptions(EmdOptions.newBuilder().setWeightUpdate("v2022-sum").setTEmd(1)
                .setGuard("safe"))
            .setWeights(w)
            .setAttDistances(codec.encode(distances(seed)))
            .setHidDistances(codec.encode(distances(seed + 1))))
        .build();
  }

  /** Returns the core options of the graph requests. */
  public static GraphOptions graphOptions(boolean trained) {
    return new GraphOptions(trained, true, 2, 0.1f, 0.2f, 1e-2, 0.01, 100, 0.1, 5, LAYERS,
        DOMAINS, HIDDEN);
  }

  /** Returns seeded prototypes [M+1, D, H]. */
  public static HostTensor prototypes(long seed) {
    Random r = new Random(seed);
    float[] p = new float[LAYERS * DOMAINS * HIDDEN];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) r.nextGaussian();
    }
    return HostTensor.ofFloats(new long[] {LAYERS, DOMAINS, HIDDEN}, p);
  }

  /** Returns seeded layer losses [M+1, D]. */
  public static HostTensor losses(long seed) {
    Random r = new Random(seed);
    float[] l = new float[LAYERS * DOMAINS];
    for (int i = 0; i < l.length; i++) {
      l[i] = 0.5f + r.nextFloat();
    }
    return HostTensor.ofFloats(new long[] {LAYERS, DOMAINS}, l);
  }

  /** Returns a graph request with seeded inputs. */
  public static GraphEvaluate graph(boolean trained, long seed, long resumeFrom, boolean snapshot) {
    GraphOptions o = graphOptions(trained);
    TensorCodec codec = TensorCodec.defaults();
    return GraphEvaluate.newBuilder()
        .setOptions(dev.retort.proto.v1.GraphOptions.newBuilder()
            .setMode(trained ? "trained" : "frozen").setHierarchical(o.hierarchical())
            .setHeads(o.heads()).setDropout(o.dropout()).setLeakyReluSlope(o.slope())
            .setLearningRate(o.learningRate()).setWeightDecay(o.weightDecay())
            .setTotalSteps(o.totalSteps()).setWarmup(o.warmup()).setSeed(o.seed())
            .setNumLayers(o.numLayers()).setNumDomains(o.numDomains()).setHidden(o.hidden())
            .setResumeFromStep(resumeFrom).setSnapshot(snapshot))
        .setPrototypes(codec.encode(prototypes(seed)))
        .setLayerLosses(codec.encode(losses(seed)))
        .build();
  }

  /** Returns a graph loss request. */
  public static LossRequest graphRequest(String job, long step, String requestId,
      GraphEvaluate graph) {
    return LossRequest.newBuilder().setSchemaVersion(SchemaVersions.CURRENT).setJobId(job)
        .setStep(step).setRequestId(requestId).setGraph(graph).build();
  }
}
