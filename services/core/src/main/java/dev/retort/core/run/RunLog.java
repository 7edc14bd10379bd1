package dev.retort.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.train.TrainState;
import dev.retort.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Appends progress and evaluations to {@code <run>/events.jsonl}, one JSON object per line. */
public final class RunLog implements TrainingListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  /**
   * Creates the log.
   *
   * @param file the JSON-lines file (appended to)
   */
  public RunLog(Path file) {
    this.file = file;
  }

  /** {@inheritDoc} */
  @Override
  public void onStep(TrainState state, StepReport r) {
    ObjectNode o = base("step", state);
    o.putPOJO("losses", r.losses());
    o.put("lr", r.learningRate());
    o.put("grad_norm", r.gradNorm());
    o.put("examples_per_second", r.examples() / Math.max(1e-9, r.seconds()));
    o.putPOJO("seconds", r.parts());
    append(o);
  }

  /** {@inheritDoc} */
  @Override
  public void onEvaluation(TrainState state, Map<String, Double> metrics, double primary, boolean isBest) {
    ObjectNode o = base("eval", state);
    o.putPOJO("metrics", metrics);
    o.put("primary", primary);
    o.put("best", isBest);
    append(o);
  }

  /** {@inheritDoc} */
  @Override
  public void onCheckpoint(TrainState state, Path path) {
    ObjectNode o = base("checkpoint", state);
    o.put("path", path.toString());
    append(o);
  }

  private static ObjectNode base(String kind, TrainState s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", kind);
    o.put("phase", s.phase());
    o.put("step", s.step());
    o.put("epoch", s.epoch());
    o.put("time", System.currentTimeMillis());
    return o;
  }

  private void append(ObjectNode o) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
