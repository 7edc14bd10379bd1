package dev.retort.bench;

import dev.retort.bench.platform.PlatformHarness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the figures of one run share: the settings, the progress output, measurements that several
 * figures divide by or read (the matmul reference, the step workload and its timings, the JMH
 * results), and the platform, when there is one.
 */
public final class BenchContext implements AutoCloseable {
  /** Computes a shared value. */
  @FunctionalInterface
  public interface Computation<T> {
    /**
     * Computes the value.
     *
     * @return the value
     * @throws Exception if it cannot be computed
     */
    T compute() throws Exception;
  }

  private final BenchSettings settings;
  private final Consumer<String> progress;
  private final PlatformHarness platform;
  private final Map<String, Object> shared = new HashMap<>();
  private final List<AutoCloseable> owned = new ArrayList<>();

  /**
   * Creates a context.
   *
   * @param settings the run's settings
   * @param platform runs jobs in-process and on the Kafka services, or null when there is none
   * @param progress receives one line per thing being measured
   */
  public BenchContext(BenchSettings settings, PlatformHarness platform, Consumer<String> progress) {
    this.settings = settings;
    this.platform = platform;
    this.progress = progress;
  }

  /** Returns the settings. */
  public BenchSettings settings() {
    return settings;
  }

  /** Returns the platform harness, if the command line provided one. */
  public Optional<PlatformHarness> platform() {
    return Optional.ofNullable(platform);
  }

  /**
   * Reports what is being measured.
   *
   * @param format a {@link String#format} pattern
   * @param args its arguments
   */
  public void progress(String format, Object... args) {
    progress.accept(String.format(Locale.ROOT, format, args));
  }

  /**
   * Returns a value shared between figures, computing it the first time. A value that is {@link
   * AutoCloseable} is closed with this context.
   *
   * @param key the value's name
   * @param computation computes it
   * @param <T> its type
   * @return the value
   * @throws Exception if the computation fails (it is tried again next time)
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Computation<T> computation) throws Exception {
    Object v = shared.get(key);
    if (v == null) {
      v = computation.compute();
      shared.put(key, v);
      if (v instanceof AutoCloseable c) {
        owned.add(c);
      }
    }
    return (T) v;
  }

  /**
   * Drops a shared value that no later figure needs, closing it if it holds native memory, so that
   * later figures (and the memory probe's JVM) do not run beside it.
   *
   * @param key the value's name
   */
  public void release(String key) {
    Object v = shared.remove(key);
    if (v instanceof AutoCloseable c) {
      owned.remove(c);
      try {
        c.close();
      } catch (Exception ignored) {
        // freeing is best effort
      }
    }
  }

  /** Returns whether a shared value was computed. */
  public boolean has(String key) {
    return shared.containsKey(key);
  }

  /** Closes the shared values that hold native memory (models, outputs). */
  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception ignored) {
        // best effort at the end of the run
      }
    }
    owned.clear();
    shared.clear();
  }
}
