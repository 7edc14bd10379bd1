package dev.retort.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
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

  @Test
  void leastRecentlyUsedTeacherIsDroppedAndItsWeightsFreed() {
    TeacherModels models = new TeacherModels(this::load, 2, registry);
    ModelKey a = new ModelKey("a", 2, false, 0);
    ModelKey b = new ModelKey("b", 2, false, 0);
    ModelKey c = new ModelKey("c", 2, false, 0);
    CachedTeacher ta = models.get(a);
    CachedTeacher tb = models.get(b);
    assertThat(models.get(a)).isSameAs(ta);
    models.get(c); // b is now the least recently used
    assertThat(tb.manager().isOpen()).isFalse();
    assertThat(ta.manager().isOpen()).isTrue();
    assertThat(models.size()).isEqualTo(2);
    models.get(b);
    assertThat(loaded).containsExactly(a, b, c, b);
    assertThat(registry.get("retort.teacher.model.loads").counter().count()).isEqualTo(4);
    assertThat(registry.get("retort.teacher.models.cached").gauge().value()).isEqualTo(2);
    models.close();
    assertThat(ta.manager().isOpen()).isFalse();
  }

  @Test
  void theDomainAndHeadShapeArePartOfTheKey() {
    TeacherModels models = new TeacherModels(this::load, 4, registry);
    models.get(new ModelKey("a", 2, false, 0));
    models.get(new ModelKey("a", 2, false, 1));
    models.get(new ModelKey("a", 1, true, 0));
    models.get(new ModelKey("a", 2, false, 0));
    assertThat(loaded).hasSize(3);
    models.close();
  }
}
