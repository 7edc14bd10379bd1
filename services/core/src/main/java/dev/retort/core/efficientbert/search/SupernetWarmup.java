package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.train.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EfficientBERT's warm-up (methods.md 3.4): task-agnostic pre-training KD of the supernet, the
 * largest point of the space (4 GELU FFNs of full width per layer), from a pre-trained teacher.
 * Every candidate later inherits a slice of these weights.
 *
 * <p>The reference trains 10 epochs on Wikipedia (and BooksCorpus for stage 3) at lr 1e-4, batch
 * 256; here the length is a step count on any plain-text corpus. The weights are saved with {@link
 * SupernetStore}; an existing file is reused, so a restarted search does not warm up twice.
 */
public final class SupernetWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(SupernetWarmup.class);

  private SupernetWarmup() {}

  /**
   * Warms up a supernet, or reads it if {@code out} exists.
   *
   * @param dims the supernet's dimensions and layer count
   * @param options dropout, LayerNorm epsilon, initialiser
   * @param teacher the pre-trained encoder, with the supernet's head count
   * @param teacherLayers its layer count, a multiple of the supernet's
   * @param corpus pre-training examples
   * @param batchSize examples per step
   * @param steps optimiser steps
   * @param lr the peak learning rate (reference 1e-4)
   * @param seed seeds the initialisation, data order and dropout
   * @param out where the weights go
   * @param cancelled polled before every step; a cancelled warm-up is not saved
   * @return the supernet's weights
   * @throws dev.retort.core.RetortException if {@code out} holds another shape, or the warm-up was
   *     cancelled
   */
  public static StateDict run(
      EfficientBertArch dims,
      AutoBertOptions options,
      HfModule teacher,
      int teacherLayers,
      EncodedDataset corpus,
      int batchSize,
      long steps,
      double lr,
      long seed,
      Path out,
      BooleanSupplier cancelled) {
    if (Files.exists(out)) {
      LOG.info("Reusing the warmed-up supernet {}", out);
      return SupernetStore.read(out, dims);
    }
    Supernet supernet = new Supernet(dims, options);
    try (NDManager manager = NDManager.newBaseManager()) {
      Torch.seed(seed);
      supernet.model().initializeParameters(manager);
      EfficientBertArch full = supernet.arch();
      TrainState end =
          KdTraining.run(
              "supernet-warmup",
              supernet.model(),
              KdSteps.pretraining(teacher, teacherLayers, supernet.model(), s -> full),
              corpus,
              null,
              batchSize,
              steps,
              lr,
              seed,
              manager,
              null,
              0,
              cancelled);
      if (end.step() < steps) {
        throw new dev.retort.core.RetortException(
            "supernet warm-up",
            "was cancelled at step " + end.step() + " of " + steps,
            "Run the search again; the warm-up starts over");
      }
      SupernetStore.write(out, supernet.model());
      LOG.info("Supernet warmed up for {} steps, saved to {}", steps, out);
      return StateDicts.toStateDict(supernet.model(), out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the supernet checkpoint " + out, e);
    }
  }
}
