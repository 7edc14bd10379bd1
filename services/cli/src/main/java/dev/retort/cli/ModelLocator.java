package dev.retort.cli;

import dev.retort.core.RetortException;
import dev.retort.core.run.EfficientBertDirectory;
import dev.retort.core.run.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model a command-line argument names: a model directory (BERT or EfficientBERT), a run
 * directory (its best student, or its best teacher for a {@code finetune} run), or a {@code
 * checkpoint:} reference.
 */
public final class ModelLocator {
  private static final String CHECKPOINT = "checkpoint:";

  private ModelLocator() {}

  /**
   * Returns the model directory an argument names.
   *
   * @param arg a path, with or without {@code checkpoint:}
   * @param what the argument's name, for errors
   * @return the model directory
   * @throws RetortException if the path holds no model
   */
  public static Path modelDirectory(String arg, String what) {
    Path p =
        Path.of(arg.startsWith(CHECKPOINT) ? arg.substring(CHECKPOINT.length()) : arg)
            .toAbsolutePath()
            .normalize();
    if (holdsModel(p)) {
      return p;
    }
    for (String inRun : new String[] {"student/best", "teacher/best", "export"}) {
      if (holdsModel(p.resolve(inRun))) {
        return p.resolve(inRun);
      }
    }
    throw new RetortException(
        what + " " + arg,
        Files.exists(p)
            ? "neither a model directory (no config.json) nor a run directory with a best model"
            : "does not exist",
        "Name a model directory, a run directory (runs/NAME) or an export");
  }

  /**
   * Returns the EfficientBERT directory that a reference from {@link #reference} names, if it names
   * one (those are read by {@link EfficientBertDirectory}, not by the BERT model factory).
   *
   * @param ref a model reference
   * @return the directory, or empty for any other reference
   */
  public static Optional<Path> efficientBertDirectory(String ref) {
    if (!ref.startsWith(CHECKPOINT)) {
      return Optional.empty();
    }
    Path p = Path.of(ref.substring(CHECKPOINT.length()));
    return EfficientBertDirectory.isEfficientBertDirectory(p) ? Optional.of(p) : Optional.empty();
  }

  /** Returns whether a directory holds a model: a BERT directory or an EfficientBERT student. */
  public static boolean holdsModel(Path dir) {
    return ModelDirectory.isModelDirectory(dir) || EfficientBertDirectory.isEfficientBertDirectory(dir);
  }

  /**
   * Returns the model reference an argument stands for: {@code checkpoint:DIR} for an existing
   * directory (a model or a run), the argument itself otherwise (an alias, {@code maven:}, {@code
   * hf-dir:}, ...).
   *
   * @param arg the argument
   * @param what the argument's name, for errors
   * @return a model reference for {@code ModelFactory}
   */
  public static String reference(String arg, String what) {
    if (arg.startsWith(CHECKPOINT) || Files.isDirectory(Path.of(arg))) {
      return CHECKPOINT + modelDirectory(arg, what);
    }
    return arg;
  }
}
