package dev.retort.teacher.inference;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.LabelMap;
import dev.retort.core.data.TaskType;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskData;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.run.LoadedModel;
import dev.retort.core.run.ModelFactory;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a teacher by reference with {@link ModelFactory}: any model reference, or {@code
 * checkpoint:<path>} of a model directory inside the artifact store (paths that escape the store
 * are refused by its {@link PathPolicy}).
 *
 * <p>A model directory brings its own head, which must have the requested number of labels. A
 * pretrained reference gets a fresh head, seeded with the configured head seed.
 */
public final class TeacherLoader {
  private final ModelFactory factory;
  private final long headSeed;

  /**
   * Creates a loader.
   *
   * @param artifactRoot the artifact store; {@code checkpoint:} paths are resolved inside it
   * @param loadOptions weight caches and the Maven repository
   * @param headSeed seed of fresh heads
   */
  public TeacherLoader(Path artifactRoot, LoadOptions loadOptions, long headSeed) {
    PathPolicy paths = new PathPolicy(artifactRoot, List.of(artifactRoot), List.of(artifactRoot));
    this.factory = new ModelFactory(paths, loadOptions);
    this.headSeed = headSeed;
  }

  /**
   * Loads a teacher into a new manager and freezes it.
   *
   * @param key what to load
   * @return the teacher; the caller closes it
   * @throws dev.retort.core.RetortException if the reference cannot be loaded or its head does
   *     not fit the request
   */
  public CachedTeacher load(ModelKey key) {
    NDManager manager = NDManager.newBaseManager();
    try {
      LoadedModel model = factory.load(key.ref(), "teacher_ref", task(key), List.of("default"),
          "auto", PooledActivation.NONE, headSeed, manager);
      model.model().namedParameters().values().forEach(p -> p.freeze(true));
      return new CachedTeacher(key, model, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A task with just the head's shape: ModelFactory reads only the label count and kind. */
  private static TaskData task(ModelKey key) {
    LabelMap labels;
    if (key.regression()) {
      labels = LabelMap.none();
    } else {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < key.numLabels(); i++) {
        names.add("label_" + i);
      }
      labels = LabelMap.of(names);
    }
    TaskType type = key.regression() ? TaskType.REGRESSION : TaskType.CLASSIFICATION;
    return new TaskData("teacher request", type, labels, null, List.of("default"), null, null,
        null, null, null);
  }
}
