package dev.retort.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Shapes, repetitions and selection of one {@code retort bench} run. {@link Builder#optQuick} picks
 * the tiny shapes of the smoke test (well under a minute on two cores); the default is the issue's
 * shapes (TinyBERT-4L-312 student, BERT-base-shaped teacher, B 32, L 128).
 *
 * @param quick whether the tiny shapes are used
 * @param workDir where sample data, child-process output, platform state and job runs go
 * @param only the figures asked for; empty for every figure
 * @param seed seeds weights, batches and solver instances
 * @param matmul the reference matmul
 * @param step the distillation step and the teacher pass
 * @param wire the wire-size figure
 * @param memory the memory probe
 * @param jmh the JMH settings
 * @param platform the jobs of the platform figures
 * @param python a Python with torch and transformers for the PyTorch comparison, or null
 */
public record BenchSettings(
    boolean quick,
    Path workDir,
    Set<FigureId> only,
    long seed,
    MatmulShape matmul,
    StepShape step,
    WireShape wire,
    MemoryShape memory,
    JmhShape jmh,
    PlatformShape platform,
    Path python) {

  /**
   * The reference matmul: {@code [n, n] × [n, n]} in fp32.
   *
   * @param n the size
   * @param warmup untimed runs first
   * @param repetitions timed runs (the median counts)
   */
  public record MatmulShape(int n, int warmup, int repetitions) {}

  /**
   * The step and teacher figures.
   *
   * @param studentPreset the student's {@code BertConfig} preset
   * @param teacherPreset the teacher's preset (random weights: only the shape matters for time)
   * @param batch B
   * @param length L, every token real
   * @param warmup untimed steps (and teacher passes) first
   * @param repetitions timed steps
   * @param teacherRepetitions timed teacher passes
   */
  public record StepShape(
      String studentPreset,
      String teacherPreset,
      int batch,
      int length,
      int warmup,
      int repetitions,
      int teacherRepetitions) {}

  /**
   * The wire-size figure, on real sample-data batches.
   *
   * @param teacherPreset the teacher's shape
   * @param studentPreset the student that computes the loss with fp32 and half-precision outputs
   * @param batch examples per batch
   * @param maxLength the job's maximum length: the dense reference's padded length
   * @param batches how many batches are measured
   * @param sampleSize sample-data training examples per domain
   */
  public record WireShape(
      String teacherPreset,
      String studentPreset,
      int batch,
      int maxLength,
      int batches,
      int sampleSize) {}

  /**
   * The memory probe: a trainer in a fresh JVM, teacher outputs given in fp16 as on the wire. The
   * resident set is sampled at the end of a step (its arrays still alive), so warm-up and the
   * sampling interval are multiples of the number of lengths: every sample follows the same bucket.
   *
   * @param studentPreset the student
   * @param teacherPreset the shape of the given teacher outputs
   * @param batch B
   * @param lengths the bucket lengths the steps cycle through
   * @param warmupSteps steps before the reference sample
   * @param steps steps after warm-up
   * @param sampleEvery steps between RSS samples
   * @param heap the child JVM's {@code -Xmx}
   */
  public record MemoryShape(
      String studentPreset,
      String teacherPreset,
      int batch,
      List<Integer> lengths,
      int warmupSteps,
      long steps,
      int sampleEvery,
      String heap) {
    /** Copies the lengths. */
    public MemoryShape {
      lengths = List.copyOf(lengths);
    }
  }

  /**
   * JMH iteration settings.
   *
   * @param forks forked JVMs per benchmark; 0 runs in this JVM
   * @param warmupIterations warm-up iterations
   * @param warmupMillis length of each warm-up iteration
   * @param iterations measured iterations
   * @param iterationMillis length of each measured iteration
   */
  public record JmhShape(
      int forks, int warmupIterations, int warmupMillis, int iterations, int iterationMillis) {}

  /**
   * The jobs of the platform figures.
   *
   * @param teacherModel the teacher reference
   * @param studentPreset the student
   * @param batch examples per step
   * @param maxLength the job's maximum length
   * @param steps distillation steps per job
   * @param sampleSize sample-data training examples per domain
   * @param timeoutMinutes how long a set of jobs may take
   * @param overheadRounds how many times the platform-overhead figure runs its pair of jobs (in
   *     process, then through the services), each time with a new teacher
   */
  public record PlatformShape(
      String teacherModel,
      String studentPreset,
      int batch,
      int maxLength,
      int steps,
      int sampleSize,
      int timeoutMinutes,
      int overheadRounds) {}

  /** Copies the selection. */
  public BenchSettings {
    only = only.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(only));
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether a figure runs. Everything runs unless {@code only} names figures; in quick mode
   * the platform figures (which start Kafka and four services) run only when named.
   *
   * @param figure the figure
   * @return whether to measure it
   */
  public boolean selected(FigureId figure) {
    if (!only.isEmpty()) {
      return only.contains(figure);
    }
    return !(quick && figure.needsPlatform());
  }

  /** Builds {@link BenchSettings}. */
  public static final class Builder {
    private Path workDir;
    private boolean quick;
    private Set<FigureId> only = Set.of();
    private long seed = 42;
    private Long memorySteps;
    private Integer repetitions;
    private Path python;

    /** Sets the work directory (required). */
    public Builder setWorkDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Uses the tiny shapes (default false). */
    public Builder optQuick(boolean q) {
      this.quick = q;
      return this;
    }

    /** Measures only these figures (default all). */
    public Builder optOnly(Collection<FigureId> figures) {
      this.only = Set.copyOf(figures);
      return this;
    }

    /** Sets the seed (default 42). */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /** Sets the memory probe's steps after warm-up (default 120, quick 12). */
    public Builder optMemorySteps(long steps) {
      this.memorySteps = steps;
      return this;
    }

    /** Sets the Python (with torch and transformers) of the PyTorch comparison (default none). */
    public Builder optPython(Path p) {
      this.python = p;
      return this;
    }

    /** Sets the timed repetitions of the matmul, step and teacher figures. */
    public Builder optRepetitions(int r) {
      this.repetitions = r;
      return this;
    }

    /** Validates and builds. */
    public BenchSettings build() {
      if (workDir == null) {
        throw new IllegalStateException("You must set the work directory");
      }
      if (repetitions != null && repetitions < 1) {
        throw new IllegalArgumentException("repetitions must be at least 1, not " + repetitions);
      }
      if (memorySteps != null && memorySteps < 1) {
        throw new IllegalArgumentException("memory steps must be at least 1, not " + memorySteps);
      }
      MatmulShape mm = quick ? new MatmulShape(512, 2, 5) : new MatmulShape(2048, 2, 7);
      StepShape st =
          quick
              ? new StepShape("tiny", "tiny", 8, 32, 1, 3, 3)
              : new StepShape("tinybert-4l-312", "bert-base", 32, 128, 2, 7, 3);
      if (repetitions != null) {
        mm = new MatmulShape(mm.n(), mm.warmup(), repetitions);
        st =
            new StepShape(
                st.studentPreset(),
                st.teacherPreset(),
                st.batch(),
                st.length(),
                st.warmup(),
                repetitions,
                repetitions);
      }
      WireShape wr =
          quick
              ? new WireShape("tiny", "tiny", 16, 32, 2, 120)
              : new WireShape("bert-base", "tinybert-4l-312", 32, 64, 6, 600);
      MemoryShape mem =
          quick
              ? new MemoryShape("tiny", "tiny", 32, List.of(16, 32), 4, 12, 4, "512m")
              : new MemoryShape(
                  "tinybert-4l-312", "bert-base", 32, List.of(16, 32, 64), 12, 120, 6, "3g");
      if (memorySteps != null) {
        int cycle = mem.lengths().size();
        long every = Math.max(mem.sampleEvery(), memorySteps / 200);
        every = (every + cycle - 1) / cycle * cycle; // samples always after the same bucket
        mem =
            new MemoryShape(
                mem.studentPreset(),
                mem.teacherPreset(),
                mem.batch(),
                mem.lengths(),
                mem.warmupSteps(),
                memorySteps,
                (int) every,
                mem.heap());
      }
      JmhShape jmh = quick ? new JmhShape(0, 1, 200, 2, 200) : new JmhShape(1, 3, 1000, 5, 1000);
      PlatformShape pf =
          quick
              ? new PlatformShape("preset:tiny", "tiny", 16, 32, 4, 120, 10, 1)
              : new PlatformShape("preset:bert-base", "tinybert-4l-312", 32, 64, 16, 600, 60, 3);
      return new BenchSettings(
          quick, workDir.toAbsolutePath().normalize(), only, seed, mm, st, wr, mem, jmh, pf, python);
    }
  }
}
