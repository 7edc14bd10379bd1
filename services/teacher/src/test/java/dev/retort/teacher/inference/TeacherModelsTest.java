package dev.retort.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.retort.teacher.inference.TeacherModels.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TeacherModelsTest {
  private final List<ModelKey> loaded = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private CachedTeacher load(ModelKey key) {
    loaded.add(key);
    return new CachedTeacher(key, null, NDManager.newBaseManager());
  }

  /** Leases a teacher and gives it back at once, as a finished forward pass does. */
  private static CachedTeacher use(TeacherModels models, ModelKey key) {
    try (Lease lease = models.lease(key)) {
      return lease.teacher();
    }
  }

  @Test
  void leastRecentlyUsedTeacherIsDroppedAndItsWeightsFreed() {
    TeacherModels models = new TeacherModels(this::load, 2, registry);
    ModelKey a = new ModelKey("a", 2, false, 0);
    ModelKey b = new ModelKey("b", 2, false, 0);
    ModelKey c = new ModelKey("c", 2, false, 0);
    CachedTeacher ta = use(models, a);
    CachedTeacher tb = use(models, b);
    assertThat(use(models, a)).isSameAs(ta);
    use(models, c); // b is now the least recently used
    assertThat(tb.manager().isOpen()).isFalse();
    assertThat(ta.manager().isOpen()).isTrue();
    assertThat(models.size()).isEqualTo(2);
    use(models, b);
    assertThat(loaded).containsExactly(a, b, c, b);
    assertThat(registry.get("retort.teacher.model.loads").counter().count()).isEqualTo(4);
    assertThat(registry.get("retort.teacher.models.cached").gauge().value()).isEqualTo(2);
    models.close();
    assertThat(ta.manager().isOpen()).isFalse();
  }

  @Test
  void aTeacherDroppedWhileAPassHoldsItIsFreedWhenTheLastLeaseCloses() {
    TeacherModels models = new TeacherModels(this::load, 1, registry);
    ModelKey a = new ModelKey("a", 2, false, 0);
    ModelKey b = new ModelKey("b", 2, false, 0);
    Lease first = models.lease(a);
    Lease second = models.lease(a);
    CachedTeacher ta = first.teacher();
    CachedTeacher tb = use(models, b); // another worker's request drops a from the cache
    assertThat(models.size()).isEqualTo(1);
    assertThat(ta.manager().isOpen()).as("a is still in use by two passes").isTrue();
    first.close();
    first.close(); // a second close releases nothing more
    assertThat(ta.manager().isOpen()).as("a is still in use by one pass").isTrue();
    second.close();
    assertThat(ta.manager().isOpen()).isFalse();
    assertThat(tb.manager().isOpen()).as("b is cached, not leased: it stays").isTrue();
    models.close();
    assertThat(tb.manager().isOpen()).isFalse();
  }

  @Test
  void aDroppedTeacherIsFreedOutsideTheCachesLock() {
    TeacherModels models = new TeacherModels(this::load, 1, registry);
    List<Boolean> lockHeld = new ArrayList<>();
    // Freeing closes the teacher's manager, which closes what is attached to it: this probe.
    CachedTeacher ta = use(models, new ModelKey("a", 2, false, 0));
    ta.manager().attachInternal("probe", () -> lockHeld.add(Thread.holdsLock(models)));
    use(models, new ModelKey("b", 2, false, 0)); // drops a, which no pass holds
    Lease held = models.lease(new ModelKey("c", 2, false, 0)); // drops b
    CachedTeacher tc = held.teacher();
    tc.manager().attachInternal("probe", () -> lockHeld.add(Thread.holdsLock(models)));
    use(models, new ModelKey("d", 2, false, 0)); // drops c, still leased
    held.close(); // c's last lease: freed here
    assertThat(ta.manager().isOpen()).isFalse();
    assertThat(tc.manager().isOpen()).isFalse();
    assertThat(lockHeld).as("a freed on the drop, c on its last release").containsExactly(false,
        false);
    models.close();
  }

  @Test
  void aLoadDoesNotHoldUpLeasesOfCachedTeachersAndWorkersAskingForItShareIt() throws Exception {
    ModelKey a = new ModelKey("a", 2, false, 0);
    ModelKey b = new ModelKey("b", 2, false, 0);
    CountDownLatch loadingB = new CountDownLatch(1);
    CountDownLatch finishB = new CountDownLatch(1);
    TeacherModels models = new TeacherModels(key -> {
      if (key.equals(b)) {
        loadingB.countDown();
        await(finishB);
      }
      return load(key);
    }, 2, registry);
    CachedTeacher ta = use(models, a);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      Future<CachedTeacher> first = workers.submit(() -> use(models, b));
      assertThat(loadingB.await(10, TimeUnit.SECONDS)).isTrue();
      Future<CachedTeacher> second = workers.submit(() -> use(models, b));
      // While b loads, a cached teacher is leased at once.
      Future<CachedTeacher> cached = ForkJoinPool.commonPool().submit(() -> use(models, a));
      assertThat(cached.get(5, TimeUnit.SECONDS)).isSameAs(ta);
      assertThat(second.isDone()).as("waits for the load under way").isFalse();
      finishB.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
    } finally {
      finishB.countDown();
      workers.shutdownNow();
    }
    assertThat(loaded).containsExactly(a, b);
    models.close();
  }

  @Test
  void aFailedLoadFailsTheWorkersWaitingForItAndTheNextLeaseTriesAgain() throws Exception {
    ModelKey a = new ModelKey("a", 2, false, 0);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    boolean[] broken = {true};
    TeacherModels models = new TeacherModels(key -> {
      if (broken[0]) {
        loading.countDown();
        await(fail);
        throw new IllegalStateException("no weights at " + key.ref());
      }
      return load(key);
    }, 2, registry);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      Future<CachedTeacher> first = workers.submit(() -> use(models, a));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      Future<CachedTeacher> second = workers.submit(() -> use(models, a));
      Thread.sleep(200); // let the second worker find the load under way
      fail.countDown();
      for (Future<CachedTeacher> f : List.of(first, second)) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no weights at a");
      }
    } finally {
      fail.countDown();
      workers.shutdownNow();
    }
    broken[0] = false;
    assertThat(use(models, a).manager().isOpen()).isTrue();
    assertThat(loaded).containsExactly(a);
    models.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCachedTeacherStaysOpenWhenItsLeasesClose() {
    TeacherModels models = new TeacherModels(this::load, 2, registry);
    CachedTeacher ta = use(models, new ModelKey("a", 2, false, 0));
    assertThat(ta.manager().isOpen()).isTrue();
    assertThat(loaded).hasSize(1);
    models.close();
  }

  @Test
  void theDomainAndHeadShapeArePartOfTheKey() {
    TeacherModels models = new TeacherModels(this::load, 4, registry);
    use(models, new ModelKey("a", 2, false, 0));
    use(models, new ModelKey("a", 2, false, 1));
    use(models, new ModelKey("a", 1, true, 0));
    use(models, new ModelKey("a", 2, false, 0));
    assertThat(loaded).hasSize(3);
    models.close();
  }
}
