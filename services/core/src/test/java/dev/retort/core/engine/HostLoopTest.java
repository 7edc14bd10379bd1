package dev.retort.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class HostLoopTest {

  @Test
  void everyIndexRunsOnceAndLongLoopsSplitOverThreads() {
    int n = 4 * HostLoop.MIN_RANGE + 17;
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CyclicBarrier allRunning = new CyclicBarrier(3); // a pool thread cannot take two ranges
    HostLoop.forRange(
        n,
        3,
        (from, to) -> {
          threads.add(Thread.currentThread().getName());
          try {
            allRunning.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException("the three ranges did not run at once", e);
          }
          for (int i = from; i < to; i++) {
            seen.incrementAndGet(i);
          }
        });
    for (int i = 0; i < n; i++) {
      assertThat(seen.get(i)).as("index %d", i).isEqualTo(1);
    }
    assertThat(threads).hasSize(3).contains(Thread.currentThread().getName());
  }

  @Test
  void stripesCoverEveryElementOnceTheLastOneShortWithScratchPerRange() {
    int n = 40 * HostLoop.STRIPE + 5; // over two minimum ranges, the last stripe 5 elements
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    Set<Object> scratches = ConcurrentHashMap.newKeySet();
    Set<Integer> lengths = ConcurrentHashMap.newKeySet();
    HostLoop.forStripes(
        n,
        2,
        Object::new,
        (scratch, start, len) -> {
          scratches.add(scratch);
          lengths.add(len);
          assertThat(start % HostLoop.STRIPE).isZero();
          for (int i = start; i < start + len; i++) {
            seen.incrementAndGet(i);
          }
        });
    for (int i = 0; i < n; i++) {
      assertThat(seen.get(i)).as("element %d", i).isEqualTo(1);
    }
    assertThat(lengths).containsExactlyInAnyOrder(HostLoop.STRIPE, 5);
    assertThat(scratches).hasSize(2); // one per range, reused across its stripes
  }

  @Test
  void aShortLoopRunsOnTheCallingThread() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    HostLoop.forRange(HostLoop.MIN_RANGE, 8, (from, to) -> threads.add(Thread.currentThread().getName()));
    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void aRangeThatFailsFailsTheLoopAfterTheOthersFinish() {
    int n = 2 * HostLoop.MIN_RANGE;
    AtomicIntegerArray seen = new AtomicIntegerArray(n);
    assertThatThrownBy(
            () ->
                HostLoop.forRange(
                    n,
                    2,
                    (from, to) -> {
                      if (from > 0) {
                        throw new IllegalArgumentException("range " + from);
                      }
                      for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                      }
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range " + HostLoop.MIN_RANGE);
    assertThat(seen.get(HostLoop.MIN_RANGE - 1)).isEqualTo(1);
  }

  @Test
  void aFloatViewWritesThroughToTheArrayAndAStridedArrayHasNone() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.arange(6f).reshape(new Shape(2, 3));
      FloatBuffer view = Torch.floatView(a);
      assertThat(view).isNotNull();
      assertThat(view.capacity()).isEqualTo(6);
      view.put(4, 40f);
      assertThat(a.toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 40f, 5f);

      NDArray transposed = a.transpose(); // a strided view of the same memory
      assertThat(Torch.floatView(transposed)).isNull();
      assertThat(Torch.floatView(a.toType(ai.djl.ndarray.types.DataType.FLOAT64, true))).isNull();
      assertThat(Torch.floatView(m.zeros(new Shape(0, 3)))).isNull();
    }
  }
}
