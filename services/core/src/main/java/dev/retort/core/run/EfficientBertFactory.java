package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.efficientbert.SupernetSlicer;
import dev.retort.core.efficientbert.search.SearchConfig;
import dev.retort.core.engine.Torch;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.weights.SafetensorsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the EfficientBERT student of a job that sets {@code student.ffn-expressions}: the
 * dimensions from {@code student.hidden-size}, {@code heads}, {@code embedding-size} and {@code
 * intermediate-size} (as the search reads them), one expression per layer, the task's head, and
 * weights either inherited from a warmed-up supernet ({@code student.supernet}: the first A FFNs
 * and m units of each layer, every matrix sliced to the student's width, layers repeated for deeper
 * students) or randomly initialised.
 */
public final class EfficientBertFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientBertFactory.class);
  private static final Pattern LAYER = Pattern.compile("^encoder\\.(\\d+)\\.");

  private final PathPolicy paths;

  /**
   * Creates a factory.
   *
   * @param paths where the supernet may be read from
   */
  public EfficientBertFactory(PathPolicy paths) {
    this.paths = paths;
  }

  /**
   * Returns the student's architecture.
   *
   * @param job the job
   * @param teacher the teacher's configuration (heads, vocabulary, fit size)
   * @return the architecture
   * @throws RetortException for an expression that does not parse or a wrong count
   */
  public static EfficientBertArch arch(ConfigValues job, dev.retort.core.model.BertConfig teacher) {
    List<Expr> exprs = new ArrayList<>();
    List<String> texts = job.strings("student.ffn-expressions");
    for (int i = 0; i < texts.size(); i++) {
      try {
        exprs.add(ExprParser.parse(texts.get(i)));
      } catch (RetortException e) {
        throw new RetortException(
            job.source() + " key 'student.ffn-expressions' item " + (i + 1), e.getMessage(),
            "Write a prefix expression such as tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))");
      }
    }
    return SearchConfig.dims(job, teacher).withLayerExpressions(exprs);
  }

  /**
   * Builds the student.
   *
   * @param job the job
   * @param task the task (head size)
   * @param teacher the teacher: dimensions, vocabulary and labels
   * @param manager where the weights are allocated
   * @return the student
   */
  public EfficientBertStudent student(ConfigValues job, TaskData task, LoadedModel teacher, NDManager manager) {
    EfficientBertArch arch = arch(job, teacher.config());
    AutoBertOptions options =
        AutoBertOptions.reference().withDropout((float) job.doubleValue("student.dropout"));
    var head = ModelFactory.head(task, List.of("default"), ModelFactory.pooled(job.str("student.pooled-activation")));
    EfficientBertModel model = new EfficientBertModel(arch, options, head);
    Torch.seed(job.integer("seed") + 1);
    String from;
    if (job.has("student.supernet")) {
      Path file = paths.data(job.str("student.supernet"), "student.supernet");
      StateDict supernet = SafetensorsReader.read(file);
      StateDict inherited =
          SupernetSlicer.slice(
              supernet,
              SupernetSlicer.plan(shapes(supernet), layers(supernet, file), model.declaredShapes(), arch.numLayers()));
      StateDicts.load(model, inherited, manager, EfficientBertModel.ENCODER_WEIGHTS);
      from = "sliced from supernet " + file;
    } else {
      model.initializeParameters(manager);
      from = "random initialisation";
    }
    LOG.info("EfficientBERT student: {} layers, H={}, {} parameters, {}", arch.numLayers(), arch.hiddenSize(), model.parameterCount(), from);
    return new EfficientBertStudent(model, options, teacher.tokenizerFiles(), teacher.labels(), from);
  }

  private static Map<String, Shape> shapes(StateDict sd) {
    Map<String, Shape> out = new LinkedHashMap<>();
    sd.asMap().forEach((k, v) -> out.put(k, new Shape(v.shape())));
    return out;
  }

  private static int layers(StateDict sd, Path file) {
    int max = -1;
    for (String k : sd.asMap().keySet()) {
      Matcher m = LAYER.matcher(k);
      if (m.find()) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    if (max < 0) {
      throw new RetortException(file.toString(), "holds no encoder layers", "Point student.supernet at a supernet.safetensors written by retort search");
    }
    return max + 1;
  }
}
