package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block whose parameters carry Hugging Face names, the base of every model block in retort.
 *
 * <p>DJL prefixes child-block names with a counter ({@code 01query}); Hugging Face names are
 * dotted paths ({@code attention.self.query.weight}). This class keeps its own ordered map of
 * child modules and parameters under their Hugging Face names, so that {@link
 * #namedParameters()} lists exactly the keys of a PyTorch {@code state_dict} and checkpoint import
 * is a name-for-name copy. Parameter shapes are fixed at construction, so initialisation needs no
 * input shapes.
 *
 * <p>Subclasses expose typed {@code forward} methods; {@link #forwardInternal} exists only for
 * DJL's generic {@code Block} interface.
 */
public abstract class HfModule extends AbstractBlock {
  private final LinkedHashMap<String, HfModule> modules = new LinkedHashMap<>();
  private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
  private final LinkedHashMap<String, Shape> shapes = new LinkedHashMap<>();

  /**
   * Registers a child module under its Hugging Face name.
   *
   * @param name the name segment, e.g. {@code "attention"} or {@code "0"}
   * @param module the child
   * @param <M> the child's type
   * @return the child, for assignment to a field
   */
  protected final <M extends HfModule> M module(String name, M module) {
    if (modules.containsKey(name) || params.containsKey(name)) {
      throw new IllegalStateException("duplicate module name " + name);
    }
    addChildBlock(name, module);
    modules.put(name, module);
    return module;
  }

  /**
   * Registers a parameter of fixed shape under its Hugging Face name.
   *
   * @param name the name segment, e.g. {@code "weight"}
   * @param shape the shape, in PyTorch layout ([out, in] for linear weights)
   * @param init how a fresh parameter is initialised
   * @return the parameter
   */
  protected final Parameter parameter(String name, Shape shape, Initializer init) {
    if (modules.containsKey(name) || params.containsKey(name)) {
      throw new IllegalStateException("duplicate parameter name " + name);
    }
    // The DJL shape stays unset until the array exists, so that a loader can hand over an array
    // (Parameter.setArray refuses once a shape is set); the declared shape lives in `shapes`.
    Parameter p =
        Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optInitializer(init).build();
    addParameter(p);
    params.put(name, p);
    shapes.put(name, shape);
    return p;
  }

  /** Returns the direct children by Hugging Face name, in registration order. */
  public final Map<String, HfModule> modules() {
    return Collections.unmodifiableMap(modules);
  }

  /**
   * Returns every parameter of this module and its descendants under its dotted Hugging Face name,
   * in registration order: the keys of the equivalent PyTorch {@code state_dict()}.
   */
  public final LinkedHashMap<String, Parameter> namedParameters() {
    LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    params.forEach((n, p) -> out.put(prefix + n, p));
    modules.forEach((n, m) -> m.collect(prefix + n + ".", out));
  }

  /**
   * Returns every parameter's declared shape under its dotted Hugging Face name, in the order of
   * {@link #namedParameters()}.
   */
  public final LinkedHashMap<String, Shape> declaredShapes() {
    LinkedHashMap<String, Shape> out = new LinkedHashMap<>();
    collectShapes("", out);
    return out;
  }

  private void collectShapes(String prefix, Map<String, Shape> out) {
    shapes.forEach((n, s) -> out.put(prefix + n, s));
    modules.forEach((n, m) -> m.collectShapes(prefix + n + ".", out));
  }

  /**
   * Creates every missing parameter array in {@code manager} with its initialiser (BERT's: normal
   * with the configured standard deviation for weights, zeros for biases, ones for LayerNorm
   * weights) and marks every parameter as requiring a gradient. Existing arrays are kept.
   *
   * <p>Random draws come from the engine's generator: seed it ({@code
   * Engine.getInstance().setRandomSeed}) for reproducible weights.
   *
   * @param manager the long-lived manager that owns the weights
   */
  public final void initializeParameters(NDManager manager) {
    initializeParameters(manager, DataType.FLOAT32);
  }

  /**
   * Creates every missing parameter array with the given element type (float64 serves the
   * finite-difference gradient checks); see {@link #initializeParameters(NDManager)}.
   *
   * @param manager the long-lived manager that owns the weights
   * @param dataType FLOAT32 for real use, FLOAT64 for numerical checks
   */
  public final void initializeParameters(NDManager manager, DataType dataType) {
    params.forEach(
        (n, p) -> {
          if (!p.isInitialized()) {
            p.setShape(shapes.get(n));
          }
          p.initialize(manager, dataType);
        });
    modules.values().forEach(m -> m.initializeParameters(manager, dataType));
  }

  /** Returns the number of scalar weights in this module and its descendants. */
  public final long parameterCount() {
    long n = 0;
    for (Shape s : declaredShapes().values()) {
      n += s.size();
    }
    return n;
  }

  /**
   * Returns a parameter's array for the current forward pass.
   *
   * @param ps the parameter store of the pass (handles device placement)
   * @param p the parameter
   * @param training whether the pass is a training pass
   * @return the array
   */
  protected static NDArray value(ParameterStore ps, Parameter p, boolean training) {
    return ps.getValue(p, p.getArray().getDevice(), training);
  }

  /** {@inheritDoc} */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (HfModule m : modules.values()) {
      m.initialize(manager, dataType, inputShapes);
    }
  }

  /** {@inheritDoc} */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " computes shapes in its typed forward method");
  }

  /** {@inheritDoc} */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " is called through its typed forward method");
  }
}
