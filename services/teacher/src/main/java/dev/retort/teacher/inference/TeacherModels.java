package dev.retort.teacher.inference;

import dev.retort.teacher.config.ArtifactsConfig;
import dev.retort.teacher.config.TeacherConfig;
import dev.retort.core.engine.NativeHeap;
import dev.retort.core.weights.LoadOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The teachers kept in memory, least recently used dropped first.
 *
 * <p>Several workers may run forward passes at once ({@code retort.teacher.workers}), so a teacher
 * is handed out as a {@link Lease}: one dropped from the cache while a pass still holds it keeps its
 * weights until the last lease is closed. Meters: {@code retort.teacher.models.cached} (gauge) and
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
  // Open leases per teacher, cached or dropped; a dropped teacher is closed with its last lease.
  private final Map<CachedTeacher, Integer> leases = new IdentityHashMap<>();
  // Loads under way, by teacher: a worker asking for one of them waits for it.
  private final Map<ModelKey, CompletableFuture<CachedTeacher>> inFlight = new HashMap<>();
  // Loads run one at a time, outside the cache's lock.
  private final Object loadLock = new Object();

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
   * Leases a teacher, loading it (and dropping the least recently used beyond the limit) when it
   * is not cached. The teacher's weights stay open until the lease is closed, even if it is
   * dropped meanwhile.
   *
   * <p>A load runs outside the cache's lock, so the other workers keep leasing the cached teachers
   * meanwhile; loads run one at a time (memory: the cached teachers and one being loaded), and the
   * workers that ask for a teacher being loaded wait for that load instead of starting another.
   *
   * @param key the teacher
   * @return the lease; close it when the forward pass is done
   * @throws dev.retort.core.RetortException if it cannot be loaded
   */
  public Lease lease(ModelKey key) {
    while (true) {
      CompletableFuture<CachedTeacher> loading;
      boolean mine = false;
      synchronized (this) {
        CachedTeacher teacher = cache.get(key);
        if (teacher != null) {
          leases.merge(teacher, 1, Integer::sum);
          return new Lease(teacher);
        }
        loading = inFlight.get(key);
        if (loading == null) {
          loading = new CompletableFuture<>();
          inFlight.put(key, loading);
          mine = true;
        }
      }
      if (mine) {
        return load(key, loading); // out of the lock
      }
      try {
        loading.join(); // another worker loads it; then lease it from the cache
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
  }

  /** Loads a teacher this worker claimed in {@code inFlight}, caches it and leases it. */
  private Lease load(ModelKey key, CompletableFuture<CachedTeacher> loading) {
    CachedTeacher teacher;
    try {
      synchronized (loadLock) {
        long t0 = System.nanoTime();
        teacher = loader.apply(key);
        LOG.info("Loaded teacher {} in {} ms", key, (System.nanoTime() - t0) / 1_000_000);
      }
    } catch (RuntimeException | Error e) {
      // Out of memory included: the workers waiting for this load must not wait forever.
      synchronized (this) {
        inFlight.remove(key);
      }
      loading.completeExceptionally(e);
      throw e;
    }
    List<CachedTeacher> unused = new ArrayList<>();
    Lease lease;
    synchronized (this) {
      inFlight.remove(key);
      loads.increment();
      cache.put(key, teacher);
      Iterator<Map.Entry<ModelKey, CachedTeacher>> eldest = cache.entrySet().iterator();
      while (cache.size() > maxCached) {
        CachedTeacher dropped = eldest.next().getValue();
        eldest.remove();
        boolean leased = leases.containsKey(dropped);
        LOG.info("Dropped teacher {} (retort.teacher.models.max-cached={}){}", dropped.key(),
            maxCached, leased ? "; freed once its running passes end" : "");
        if (!leased) {
          unused.add(dropped);
        }
      }
      leases.merge(teacher, 1, Integer::sum);
      lease = new Lease(teacher);
    }
    loading.complete(teacher);
    // Out of the lock: closing a teacher and handing its pages back takes a while, and the other
    // workers' leases of the cached teachers need not wait for it.
    unused.forEach(TeacherModels::free);
    return lease;
  }

  private void release(CachedTeacher teacher) {
    boolean unused;
    synchronized (this) {
      unused = leases.merge(teacher, -1, Integer::sum) == 0;
      if (unused) {
        leases.remove(teacher);
        unused = !cache.containsValue(teacher);
      }
    }
    if (unused) {
      free(teacher); // dropped from the cache and no longer leased: no one else can reach it
    }
  }

  /**
   * Closes a dropped teacher and hands its weights' pages back to the system: freed into malloc's
   * arenas they would stay resident, and each teacher loaded after it adds its own (NativeHeap).
   * Called without the cache's lock.
   */
  private static void free(CachedTeacher dropped) {
    dropped.close();
    NativeHeap.trim();
  }

  /** Returns how many teachers are in memory. */
  public synchronized int size() {
    return cache.size();
  }

  /** Frees every teacher, leased or not: the service is stopping. */
  @PreDestroy
  public synchronized void close() {
    cache.values().forEach(CachedTeacher::close);
    cache.clear();
    leases.keySet().forEach(CachedTeacher::close);
    leases.clear();
  }

  /** A teacher in use by one forward pass; closing the lease more than once releases it once. */
  public final class Lease implements AutoCloseable {
    private final CachedTeacher teacher;
    private boolean closed;

    private Lease(CachedTeacher teacher) {
      this.teacher = teacher;
    }

    /** Returns the teacher. */
    public CachedTeacher teacher() {
      return teacher;
    }

    /** Releases the teacher; a teacher dropped from the cache is freed with its last lease. */
    @Override
    public void close() {
      synchronized (TeacherModels.this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(teacher);
    }
  }

  private static LoadOptions loadOptions(TeacherConfig config) {
    LoadOptions.Builder b = LoadOptions.builder();
    config.models().cacheDir().ifPresent(dir -> b.optCacheDir(Path.of(dir)));
    return b.build();
  }
}
