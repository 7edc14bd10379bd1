package dev.retort.core.efficientbert;

import ai.djl.ndarray.types.Shape;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.StateDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts a standalone EfficientBERT model's weights from supernet weights: EfficientBERT's
 * warm-up weight inheritance (reference {@code utils/checkpoint_utils.py}, {@code
 * load_supernet_state_dict_6_540_to_6_360} and {@code _to_12_360}).
 *
 * <p>Every tensor of the target model is the leading corner of the matching supernet tensor:
 *
 * <ul>
 *   <li>target layer j reads supernet layer {@code j / r}, r = target layers / supernet layers (r =
 *       2 copies supernet layer i into layers 2i and 2i+1, as for EfficientBERT++);
 *   <li>{@code all_ffn.k} reads supernet FFN k, so a layer of size {@code linearA_B} inherits the
 *       first A FFNs; their {@code dense1.weight} [m, H'] is {@code [:m, :H']}, {@code
 *       dense2.weight} [H', m] is {@code [:H', :m]}: the first m inner units;
 *   <li>for a narrower model (540 to 360) every [H, H] matrix becomes {@code [:H', :H']}, every [H]
 *       vector {@code [:H']}, the position and segment tables {@code [:, :H']}, the embedding
 *       {@code dense.weight} {@code [:H', :]} and {@code fit_dense.weight} {@code [:, :H']}; the
 *       token table [V, E] is copied.
 * </ul>
 *
 * <p>Head tensors ({@code cls_pooler.}, {@code classifier}) are sliced when the supernet weights
 * have them and left out otherwise, so the target keeps its fresh head.
 */
public final class SupernetSlicer {
  private static final Pattern LAYER = Pattern.compile("^encoder\\.(\\d+)\\.");

  private SupernetSlicer() {}

  /**
   * Plans the inheritance from one model's declared shapes to another's.
   *
   * @param supernet the weight source (usually {@link Supernet#model()})
   * @param target the model to initialise, built for the chosen architecture
   * @return one step per target tensor found in the supernet, in the target's parameter order
   * @throws RetortException if the layer counts do not divide, a tensor is missing or too large
   */
  public static List<SliceStep> plan(EfficientBertModel supernet, EfficientBertModel target) {
    return plan(
        supernet.declaredShapes(),
        supernet.arch().numLayers(),
        target.declaredShapes(),
        target.arch().numLayers());
  }

  /**
   * Plans the inheritance from declared shapes.
   *
   * @param source supernet tensor names and shapes
   * @param sourceLayers the supernet's layer count
   * @param target target tensor names and shapes
   * @param targetLayers the target's layer count, a multiple of {@code sourceLayers}
   * @return one step per target tensor found in the source, in the target's order
   * @throws RetortException if the layer counts do not divide, a tensor is missing or too large
   */
  public static List<SliceStep> plan(
      Map<String, Shape> source, int sourceLayers, Map<String, Shape> target, int targetLayers) {
    if (targetLayers < sourceLayers || targetLayers % sourceLayers != 0) {
      throw new RetortException(
          "weight inheritance " + sourceLayers + " -> " + targetLayers + " layers",
          "the target layer count is not a multiple of the supernet's",
          "Use " + sourceLayers + " layers, or a multiple (each supernet layer is then repeated)");
    }
    int repeat = targetLayers / sourceLayers;
    List<SliceStep> steps = new ArrayList<>();
    for (Map.Entry<String, Shape> e : target.entrySet()) {
      String name = e.getKey();
      String from = sourceName(name, repeat);
      Shape shape = source.get(from);
      if (shape == null) {
        if (isHead(name)) {
          continue;
        }
        throw new RetortException(
            "weight inheritance for '" + name + "'",
            "the supernet has no tensor '" + from + "'",
            "Check that the target needs at most 4 FFNs per layer and the supernet has"
                + " MobileBERT embeddings and fit_dense");
      }
      steps.add(new SliceStep(name, from, shape, e.getValue()));
    }
    return List.copyOf(steps);
  }

  /**
   * Cuts the target's weights out of supernet weights.
   *
   * @param supernetWeights the supernet's state dict
   * @param plan from {@link #plan}
   * @return the target's state dict, float32, ready for {@link
   *     dev.retort.core.model.StateDicts#load}
   * @throws RetortException if a planned tensor is missing or has another shape
   */
  public static StateDict slice(StateDict supernetWeights, List<SliceStep> plan) {
    StateDict out = new StateDict("sliced from " + supernetWeights.source());
    for (SliceStep step : plan) {
      out.put(step.target(), step.apply(supernetWeights.require(step.source())));
    }
    return out;
  }

  /**
   * Plans and slices in one go.
   *
   * @param supernetWeights the supernet's state dict
   * @param supernet the supernet model the weights belong to (for the declared shapes)
   * @param target the model to initialise
   * @return the target's state dict
   */
  public static StateDict slice(
      StateDict supernetWeights, EfficientBertModel supernet, EfficientBertModel target) {
    return slice(supernetWeights, plan(supernet, target));
  }

  /** Maps {@code encoder.j.} to {@code encoder.(j / repeat).}; other names are unchanged. */
  static String sourceName(String targetName, int repeat) {
    Matcher m = LAYER.matcher(targetName);
    if (!m.find()) {
      return targetName;
    }
    int layer = Integer.parseInt(m.group(1)) / repeat;
    return "encoder." + layer + "." + targetName.substring(m.end());
  }

  private static boolean isHead(String name) {
    return name.startsWith("cls_pooler.") || name.startsWith("classifier");
  }
}
