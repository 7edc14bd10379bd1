package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.AdamW;
import dev.retort.core.train.GradientClipping;
import dev.retort.core.train.LrSchedule;
import dev.retort.core.train.TrainableParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HRKD's graph computed in this process: the in-process trainer's backend, and the loss service's
 * implementation of the same request.
 *
 * <p>It evaluates the graph on a fresh leaf copy of the prototypes, back-propagates {@code Σ r·ℓ}
 * without a {@code GradientCollector} ({@link Torch#backward}), and returns the ratios and the
 * prototypes' gradient. In trained mode the same backward fills the graph's gradients and an AdamW
 * step (global clip 1.0, linear warm-up and decay) updates it.
 */
public final class LocalGraphBackend implements GraphBackend {
  private final GraphOptions options;
  private final NDManager manager;
  private final MetaGraph graph;
  private final List<TrainableParameter> params = new ArrayList<>();
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final Map<Long, StateDict> snapshots = new TreeMap<>();
  private final NDManager ownedRoot;

  /**
   * Creates the graph with its seeded initialisation.
   *
   * @param options the job's graph settings
   * @param parent the manager the graph's weights live under
   */
  public LocalGraphBackend(GraphOptions options, NDManager parent) {
    this(options, parent, null);
  }

  /**
   * Creates a graph in its own manager, freed by {@link #close()}.
   *
   * @param options the job's graph settings
   * @return the backend
   */
  public static LocalGraphBackend standalone(GraphOptions options) {
    NDManager root = NDManager.newBaseManager();
    return new LocalGraphBackend(options, root, root);
  }

  private LocalGraphBackend(GraphOptions options, NDManager parent, NDManager ownedRoot) {
    this.options = options;
    this.ownedRoot = ownedRoot;
    this.manager = parent.newSubManager();
    this.graph =
        new MetaGraph(
            options.hidden(), options.numLayers(), options.numDomains(), options.heads(),
            options.dropout(), options.slope(), options.hierarchical());
    Torch.seed(options.seed() * 31 + 7);
    graph.initializeParameters(manager);
    graph.namedParameters().forEach((n, p) -> {
      p.freeze(!options.trained());
      params.add(TrainableParameter.of(n, p));
    });
    if (options.trained()) {
      optimizer = AdamW.builder().setManager(manager).optWeightDecay((float) options.weightDecay()).build();
      long warm = (long) (options.warmup() * options.totalSteps());
      schedule = LrSchedule.linearWarmupDecay(warm, options.totalSteps());
    } else {
      optimizer = null;
      schedule = null;
    }
  }

  /** Returns the graph (tests inspect its parameters). */
  public MetaGraph graph() {
    return graph;
  }

  /** {@inheritDoc} */
  @Override
  public GraphResult evaluate(long step, HostTensor prototypes, HostTensor layerLosses, boolean snapshot) {
    GraphResult[] result = new GraphResult[1];
    try (NDManager sub = manager.newSubManager()) {
      // Ops whose first operand is a graph weight would otherwise allocate in the weights' manager.
      for (TrainableParameter p : params) {
        sub.tempAttachAll(p.array());
      }
      Torch.seed(options.seed() * 1_000_003L + step);
      NDArray p = StateDicts.toNd(sub, prototypes); // [M+1, D, H]
      p.setRequiresGradient(true);
      NDArray losses = StateDicts.toNd(sub, layerLosses); // [M+1, D]
      Torch.withGradMode(
          () -> {
            MetaGraph.GraphOutput out = graph.forward(new ParameterStore(sub, false), p, true);
            NDArray weighted = out.ratios().mul(losses).sum();
            Torch.backward(weighted);
            NDArray grad = p.getGradient();
            grad.attach(sub);
            result[0] =
                new GraphResult(
                    StateDicts.toHost(out.ratios()), StateDicts.toHost(grad), hierarchy(out));
          });
      if (options.trained()) {
        Torch.withoutGrad(
            () -> {
              GradientClipping.clipGlobalNorm(params, 1.0);
              optimizer.step(params, (float) (options.learningRate() * schedule.factor(step)));
              params.forEach(t -> Torch.zeroGrad(t.array()));
            });
      }
    }
    if (snapshot && options.trained()) {
      snapshots.put(step, state());
      while (snapshots.size() > 3) {
        snapshots.remove(snapshots.keySet().iterator().next());
      }
    }
    return result[0];
  }

  private static HostTensor hierarchy(MetaGraph.GraphOutput out) {
    List<Float> flat = new ArrayList<>();
    for (NDArray b : out.hierarchy()) {
      for (float f : b.toType(DataType.FLOAT32, false).toFloatArray()) {
        flat.add(f);
      }
    }
    float[] a = new float[flat.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = flat.get(i);
    }
    return HostTensor.ofFloats(new long[] {a.length}, a);
  }

  /** Returns the graph weights and optimiser moments, for checkpoints and snapshots. */
  public StateDict state() {
    StateDict sd = StateDicts.toStateDict(graph, "hrkd graph");
    if (optimizer != null) {
      optimizer.state().asMap().forEach((k, v) -> sd.put("optimizer." + k, v));
      sd.metadata().put("optimizer.step", Long.toString(optimizer.steps()));
    }
    return sd;
  }

  /** Restores {@link #state()}. */
  public void load(StateDict sd) {
    StateDict weights = new StateDict(sd.source());
    StateDict moments = new StateDict(sd.source());
    sd.asMap().forEach((k, v) -> {
      if (k.startsWith("optimizer.")) {
        moments.put(k.substring("optimizer.".length()), v);
      } else {
        weights.put(k, v);
      }
    });
    StateDicts.load(graph, weights, manager, dev.retort.core.model.LoadPolicy.STRICT);
    if (optimizer != null) {
      moments.metadata().put("step", sd.metadata().getOrDefault("optimizer.step", "0"));
      optimizer.load(moments, params);
    }
  }

  /** {@inheritDoc} */
  @Override
  public void resumeFrom(long step) {
    StateDict s = snapshots.get(step);
    if (s != null) {
      load(s);
    }
  }

  /** Returns the parameters (for tests). */
  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    params.forEach(t -> out.add(t.parameter()));
    return out;
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    if (optimizer != null) {
      optimizer.close();
    }
    manager.close();
    if (ownedRoot != null) {
      ownedRoot.close();
    }
  }
}
