package dev.retort.bench;

import dev.retort.core.RetortException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The figures of {@code retort bench}, in the order they are measured and printed. */
public enum FigureId {
  /** The fp32 matmul every efficiency is divided by. */
  MATMUL("matmul", "Matmul reference (fp32)"),
  /** FLOP/s of a distillation step ÷ the matmul's. */
  STEP_EFFICIENCY("step-efficiency", "Step efficiency"),
  /** Teacher wait, forward, backward, loss round trip and optimiser shares of a step. */
  STEP_SPLIT("step-split", "Where the step time goes"),
  TORCH_COMPARISON("torch-comparison", "PyTorch + transformers"),
  /** FLOP/s of teacher inference ÷ the matmul's. */
  TEACHER_EFFICIENCY("teacher-efficiency", "Teacher efficiency"),
  /** Examples/s through the Kafka services ÷ in-process. */
  PLATFORM_OVERHEAD("platform-overhead", "Platform overhead"),
  /** Four students on one teacher pass ÷ four runs that each run the teacher. */
  KNOWLEDGE_REUSE("knowledge-reuse", "Knowledge reuse"),
  /** Bytes of teacher output per example ÷ dense fp32. */
  WIRE_SIZE("wire-size", "Wire size"),
  /** Transport solver time ÷ commons-math's simplex. */
  EMD_SOLVE("emd-solve", "EMD solve"),
  /** Peak RSS of the trainer and its growth. */
  MEMORY("memory", "Memory"),
  /** Tensor codec and chunking throughput (JMH), for reference. */
  CODEC("codec", "Tensor codec (JMH)");

  private final String id;
  private final String title;

  FigureId(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** Returns the name used on the command line and in JSON. */
  public String id() {
    return id;
  }

  /** Returns the name printed in the table. */
  public String title() {
    return title;
  }

  /** Returns whether the figure needs the Kafka services. */
  public boolean needsPlatform() {
    return this == PLATFORM_OVERHEAD || this == KNOWLEDGE_REUSE;
  }

  /**
   * Parses a figure name.
   *
   * @param name an {@link #id()}, any case
   * @return the figure
   * @throws RetortException naming the known figures if there is no such figure
   */
  public static FigureId parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (FigureId f : values()) {
      if (f.id.equals(n)) {
        return f;
      }
    }
    throw new RetortException(
        "--only " + name,
        "there is no figure '" + name + "'",
        "Use one or more of "
            + Arrays.stream(values()).map(FigureId::id).collect(Collectors.joining(", ")));
  }
}
