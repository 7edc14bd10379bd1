package dev.retort.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.teacher.inference.TeacherModels.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
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
