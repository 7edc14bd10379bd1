package dev.retort.teacher.inference;

import dev.retort.teacher.config.ArtifactsConfig;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.core.weights.LoadOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The teachers kept in memory, least recently used dropped first.
 *
 * <p>Requests are processed one at a time on the channel's worker thread, so a teacher is never
 * evicted while a forward pass uses it. Meters: {@code retort.teacher.models.cached} (gauge) and
 * {@code retort.teacher.model.loads} (counter).
 */
@Startup
@ApplicationScoped
public class TeacherModels {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherModels.class);

  private final Function<ModelKey, CachedTeacher> loader;
  private final int maxCached;
  private final Counter loads;
  private final LinkedHashMap<ModelKey, CachedTeacher> cache = new LinkedHashMap<>(8, 0.75f, true);

  /**
   * Creates the cache over {@link TeacherLoader}.
   *
   * @param config the service settings
   * @param artifacts the artifact store
   * @param registry where the meters go
   */
  @Inject
  public TeacherModels(TeacherConfig config, ArtifactsConfig artifacts, MeterRegistry registry) {
    this(new TeacherLoader(Path.of(artifacts.root()), loadOptions(config),
        config.models().headSeed())::load, config.models().maxCached(), registry);
  }

  /**
   * Creates a cache over any loader.
   *
   * @param loader loads a teacher that is not cached
   * @param maxCached most teachers kept
   * @param registry where the meters go
   */
  public TeacherModels(Function<ModelKey, CachedTeacher> loader, int maxCached,
      MeterRegistry registry) {
    if (maxCached < 1) {
      throw new IllegalArgumentException("retort.teacher.models.max-cached must be at least 1");
    }
    this.loader = loader;
    this.maxCached = maxCached;
    this.loads = Counter.builder("retort.teacher.model.loads")
        .description("Teachers loaded into memory (cache misses)").register(registry);
    Gauge.builder("retort.teacher.models.cached", this, TeacherModels::size)
        .description("Teachers held in memory").register(registry);
  }

  /**
   * Returns a teacher, loading it (and dropping the least recently used beyond the limit) when it
   * is not cached.
   *
   * @param key the teacher
   * @return the teacher
   * @throws dev.retort.core.RetortException if it cannot be loaded
   */
  public synchronized CachedTeacher get(ModelKey key) {
    CachedTeacher hit = cache.get(key);
    if (hit != null) {
      return hit;
    }
    long t0 = System.nanoTime();
    CachedTeacher loaded = loader.apply(key);
    loads.increment();
    LOG.info("Loaded teacher {} in {} ms", key, (System.nanoTime() - t0) / 1_000_000);
    cache.put(key, loaded);
    Iterator<Map.Entry<ModelKey, CachedTeacher>> eldest = cache.entrySet().iterator();
    while (cache.size() > maxCached) {
      CachedTeacher dropped = eldest.next().getValue();
      eldest.remove();
      LOG.info("Dropped teacher {} (retort.teacher.models.max-cached={})", dropped.key(),
          maxCached);
      dropped.close();
    }
    return loaded;
  }

  /** Returns how many teachers are in memory. */
  public synchronized int size() {
    return cache.size();
  }

  /** Frees every teacher. */
  @PreDestroy
  public synchronized void close() {
    cache.values().forEach(CachedTeacher::close);
    cache.clear();
  }

  private static LoadOptions loadOptions(TeacherConfig config) {
    LoadOptions.Builder b = LoadOptions.builder();
    config.models().cacheDir().ifPresent(dir -> b.optCacheDir(Path.of(dir)));
    return b.build();
  }
}
